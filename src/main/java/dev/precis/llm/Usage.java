package dev.precis.llm;

import java.util.Map;
import java.util.TreeMap;

/** Tokens and calls spent on one document, per pipeline stage, as reported by the provider. */
public record Usage(Map<String, Tokens> byStage) {

    /**
     * What the calls of one stage spent; {@code cachedTokens} is the part of the input the provider
     * had cached, {@code reusedCalls} answers taken from the partial store instead of paid for.
     */
    public record Tokens(long inputTokens, long outputTokens, long cachedTokens, int calls, int reusedCalls) {

        Tokens plus(Tokens o) {
            return new Tokens(inputTokens + o.inputTokens, outputTokens + o.outputTokens,
                    cachedTokens + o.cachedTokens, calls + o.calls, reusedCalls + o.reusedCalls);
        }
    }

    public static final Usage NONE = new Usage(Map.of());

    public Usage {
        byStage = Map.copyOf(byStage);
    }

    /** One call of {@code stage}. */
    public static Usage of(String stage, LlmReply reply) {
        Tokens t = reply.reused() ? new Tokens(0, 0, 0, 0, 1)
                : new Tokens(reply.inputTokens(), reply.outputTokens(), reply.cachedTokens(), 1, 0);
        return new Usage(Map.of(stage, t));
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

    public int reusedCalls() {
        return byStage.values().stream().mapToInt(Tokens::reusedCalls).sum();
    }
}
