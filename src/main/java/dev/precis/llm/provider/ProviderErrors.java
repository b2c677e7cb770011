package dev.precis.llm.provider;

import dev.precis.llm.LlmException;
import dev.precis.llm.RetryHints;
import java.util.Locale;

/**
 * Reads a provider's error answer (status and body) as what the caller should do: split a request
 * the server says is too long, wait out a 429, retry a 5xx, hold calls on a refused account, stop
 * on a content filter. Every message carries the server's own words ({@link ServerMessage}:
 * bounded, quoted input cut out), never only a status code.
 */
public final class ProviderErrors {

    private ProviderErrors() {
    }

    /**
     * @param status HTTP status, or -1 when the call got no answer
     * @param transport the call failed on the way (timeout, connection, 5xx)
     * @param filtered the client already knows the content filter stopped it
     * @param failure the exception's name when there was no HTTP answer, for the message
     */
    public static LlmException classify(int status, String body, boolean transport, boolean filtered, String failure,
            Throwable cause) {
        String lower = body.toLowerCase(Locale.ROOT);
        String said = ServerMessage.of(body);
        String words = said.isEmpty() ? "" : ": " + said;
        String code = status > 0 ? " (HTTP " + status + ")" : " (" + failure + ")";
        var tooLong = WindowRefusal.parse(body);
        if (tooLong.isPresent() && status != 429 && status < 500) {
            return new LlmException(LlmException.Kind.CONTEXT_LENGTH_EXCEEDED,
                    "The server says the request is over the model's context window" + words, -1, cause)
                    .refusal(tooLong.get());
        }
        if (lower.contains("insufficient_quota")) {
            return new LlmException(LlmException.Kind.ACCOUNT, "The provider account has no quota left" + code + words,
                    -1, cause);
        }
        if (status == 429) {
            return new LlmException(LlmException.Kind.RATE_LIMITED, "Rate limited by the provider (429)" + words,
                    RetryHints.fromBody(body), cause);
        }
        if (transport || status >= 500) {
            return new LlmException(LlmException.Kind.UNAVAILABLE, "The provider is unavailable" + code + words, -1, cause);
        }
        if (filtered || lower.contains("content_filter")) {
            return new LlmException(LlmException.Kind.CONTENT_FILTERED, "The provider's content filter refused the request"
                    + words, -1, cause);
        }
        if (status == 401 || status == 403) {
            return new LlmException(LlmException.Kind.ACCOUNT, "The provider refused the credentials" + code + words,
                    -1, cause);
        }
        if (status == 404) {
            return new LlmException(LlmException.Kind.REJECTED, "The provider does not know the model" + code + words,
                    -1, cause);
        }
        return new LlmException(status > 0 ? LlmException.Kind.REJECTED : LlmException.Kind.UNAVAILABLE,
                "The model call failed" + code + words, -1, cause);
    }
}
