package dev.precis.llm;

/**
 * A model's answer with the provider's usage numbers; {@code truncated} when it hit the output cap,
 * {@code cachedTokens} the part of the input the provider served from its prompt cache,
 * {@code reused} when the answer came from the partial store and cost nothing this time,
 * {@code batch} when it came through the provider's Batch API (billed at the batch price).
 */
public record LlmReply(String text, int inputTokens, int outputTokens, boolean truncated, int cachedTokens,
        boolean reused, boolean batch) {

    public LlmReply(String text, int inputTokens, int outputTokens, boolean truncated, int cachedTokens,
            boolean reused) {
        this(text, inputTokens, outputTokens, truncated, cachedTokens, reused, false);
    }

    public LlmReply(String text, int inputTokens, int outputTokens, boolean truncated, int cachedTokens) {
        this(text, inputTokens, outputTokens, truncated, cachedTokens, false);
    }

    public LlmReply(String text, int inputTokens, int outputTokens, boolean truncated) {
        this(text, inputTokens, outputTokens, truncated, 0, false);
    }

    /** The same answer, marked as one that came through the Batch API. */
    public LlmReply inBatch() {
        return new LlmReply(text, inputTokens, outputTokens, truncated, cachedTokens, reused, true);
    }

    /** An answer taken from the partial store. */
    public static LlmReply reused(String text) {
        return new LlmReply(text, 0, 0, false, 0, true);
    }
}
