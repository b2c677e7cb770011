package dev.precis.llm;

/** One chat completion request: the pipeline stage asking, the two messages and the output cap. */
public record LlmCall(String stage, String system, String user, int maxOutputTokens) {
}
