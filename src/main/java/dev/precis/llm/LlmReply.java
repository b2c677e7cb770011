package dev.precis.llm;

/**
 * A model's answer with the provider's usage numbers; {@code truncated} when it hit the output cap,
 * {@code cachedTokens} the part of the input the provider served from its prompt cache,
 * {@code reused} when the answer came from the partial store and cost nothing this time.
 */
public record LlmReply(String text, int inputTokens, int outputTokens, boolean truncated, int cachedTokens,
        boolean reused) {

    public LlmReply(String text, int inputTokens, int outputTokens, boolean truncated, int cachedTokens) {
        this(text, inputTokens, outputTokens, truncated, cachedTokens, false);
    }

    public LlmReply(String text, int inputTokens, int outputTokens, boolean truncated) {
        this(text, inputTokens, outputTokens, truncated, 0, false);
    }

    /** An answer taken from the partial store. */
    public static LlmReply reused(String text) {
        return new LlmReply(text, 0, 0, false, 0, true);
    }
}
