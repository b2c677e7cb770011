package dev.precis.llm;

/**
 * One chat completion request: the pipeline stage asking, the two messages, the output cap, and
 * the prompt's local token count when the caller already has it (-1: not counted), so that no
 * layer counts the same prompt again.
 */
public record LlmCall(String stage, String system, String user, int maxOutputTokens, int promptTokens) {

    public LlmCall(String stage, String system, String user, int maxOutputTokens) {
        this(stage, system, user, maxOutputTokens, -1);
    }
}
