package dev.precis.llm;

import java.util.Map;
import java.util.TreeMap;

/** Tokens and calls spent on one document, per pipeline stage, as reported by the provider. */
public record Usage(Map<String, Tokens> byStage) {

    /** What the calls of one stage spent; {@code cachedTokens} is the part of the input the provider had cached. */
    public record Tokens(long inputTokens, long outputTokens, long cachedTokens, int calls) {

        Tokens plus(Tokens o) {
            return new Tokens(inputTokens + o.inputTokens, outputTokens + o.outputTokens,
                    cachedTokens + o.cachedTokens, calls + o.calls);
        }
    }

    public static final Usage NONE = new Usage(Map.of());

    public Usage {
        byStage = Map.copyOf(byStage);
    }

    /** One call of {@code stage}. */
    public static Usage of(String stage, LlmReply reply) {
        return new Usage(Map.of(stage, new Tokens(reply.inputTokens(), reply.outputTokens(), reply.cachedTokens(), 1)));
    }

    public Usage plus(Usage other) {
        Map<String, Tokens> sum = new TreeMap<>(byStage);
        other.byStage.forEach((stage, t) -> sum.merge(stage, t, Tokens::plus));
        return new Usage(sum);
    }

    public long inputTokens() {
        return byStage.values().stream().mapToLong(Tokens::inputTokens).sum();
    }

    public long outputTokens() {
        return byStage.values().stream().mapToLong(Tokens::outputTokens).sum();
    }

    public long cachedTokens() {
        return byStage.values().stream().mapToLong(Tokens::cachedTokens).sum();
    }

    public int llmCalls() {
        return byStage.values().stream().mapToInt(Tokens::calls).sum();
    }
}
