package dev.precis.llm;

/** A model's answer with the provider's usage numbers; {@code truncated} when it hit the output cap. */
public record LlmReply(String text, int inputTokens, int outputTokens, boolean truncated) {
}
