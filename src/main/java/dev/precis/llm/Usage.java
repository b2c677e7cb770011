package dev.precis.llm;

/** Tokens and calls spent on one document, as reported by the provider. */
public record Usage(long inputTokens, long outputTokens, int llmCalls) {

    public static final Usage NONE = new Usage(0, 0, 0);

    public static Usage of(LlmReply reply) {
        return new Usage(reply.inputTokens(), reply.outputTokens(), 1);
    }

    public Usage plus(Usage other) {
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens,
                llmCalls + other.llmCalls);
    }
}
