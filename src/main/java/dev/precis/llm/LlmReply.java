package dev.precis.llm;

/**
 * A model's answer with the provider's usage numbers; {@code truncated} when it hit the output cap,
 * {@code cachedTokens} the part of the input the provider served from its prompt cache.
 */
public record LlmReply(String text, int inputTokens, int outputTokens, boolean truncated, int cachedTokens) {

    public LlmReply(String text, int inputTokens, int outputTokens, boolean truncated) {
        this(text, inputTokens, outputTokens, truncated, 0);
    }
}
