package dev.precis.llm;

/** A failed model call, classified by what the caller should do about it. */
public class LlmException extends RuntimeException {

    /** What went wrong, from the caller's point of view. */
    public enum Kind {
        /** The request was over the model's context window: split it, never resend it as is. */
        CONTEXT_LENGTH_EXCEEDED,
        /** Throttled (429): wait as long as the provider asks, then retry. */
        RATE_LIMITED,
        /** Server error, timeout or connection failure: retry with backoff. */
        UNAVAILABLE,
        /** The provider refused the content (content filter). Do not retry. */
        CONTENT_FILTERED,
        /** The provider refuses the account (no quota, bad or revoked key): hold calls until it accepts again. */
        ACCOUNT,
        /** Unknown model, invalid request: retrying will not help. */
        REJECTED
    }

    private final Kind kind;
    private final long retryAfterMillis;
    private transient LlmReply spent;
    private transient ContextRefusal refusal;

    public LlmException(Kind kind, String message, long retryAfterMillis, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.retryAfterMillis = retryAfterMillis;
    }

    public LlmException(Kind kind, String message) {
        this(kind, message, -1, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The same failure, noting what the answered-but-unusable call cost (it is billed all the same). */
    public LlmException spent(LlmReply reply) {
        this.spent = reply;
        return this;
    }

    /** The same failure, with what the server said about its window (numbers it gave, its words). */
    public LlmException refusal(ContextRefusal refusal) {
        this.refusal = refusal;
        return this;
    }

    /** For {@link Kind#CONTEXT_LENGTH_EXCEEDED} from a server: its window and prompt count as it gave them, or null. */
    public ContextRefusal refusal() {
        return refusal;
    }

    /** Usage of a call the provider answered but that could not be used (content filter), or null. */
    public LlmReply spent() {
        return spent;
    }

    /** Wait the provider asked for before a retry, or -1 when it did not say. */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }
}
