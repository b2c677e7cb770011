package dev.precis.llm;

import java.util.Map;
import java.util.TreeMap;

/**
 * Tokens and calls spent on one document, per pipeline stage, as reported by the provider;
 * {@code batchByStage} holds the part of them that went through the Batch API (billed at the
 * batch price), {@code byStage} all of them.
 */
public record Usage(Map<String, Tokens> byStage, Map<String, Tokens> batchByStage) {

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

    public static final Usage NONE = new Usage(Map.of(), Map.of());

    public Usage {
        byStage = Map.copyOf(byStage);
        batchByStage = Map.copyOf(batchByStage);
    }

    public Usage(Map<String, Tokens> byStage) {
        this(byStage, Map.of());
    }

    /** One call of {@code stage}. */
    public static Usage of(String stage, LlmReply reply) {
        Tokens t = reply.reused() ? new Tokens(0, 0, 0, 0, 1)
                : new Tokens(reply.inputTokens(), reply.outputTokens(), reply.cachedTokens(), 1, 0);
        return new Usage(Map.of(stage, t), reply.batch() ? Map.of(stage, t) : Map.of());
    }

    public Usage plus(Usage other) {
        return new Usage(sum(byStage, other.byStage), sum(batchByStage, other.batchByStage));
    }

    private static Map<String, Tokens> sum(Map<String, Tokens> a, Map<String, Tokens> b) {
        Map<String, Tokens> sum = new TreeMap<>(a);
        b.forEach((stage, t) -> sum.merge(stage, t, Tokens::plus));
        return sum;
    }

    /** The part of this usage that went through the Batch API. */
    public Usage batchPart() {
        return new Usage(batchByStage, batchByStage);
    }

    /** The part of this usage that was called online. */
    public Usage onlinePart() {
        Map<String, Tokens> online = new TreeMap<>();
        byStage.forEach((stage, t) -> {
            Tokens b = batchByStage.get(stage);
            online.put(stage, b == null ? t : new Tokens(t.inputTokens - b.inputTokens, t.outputTokens - b.outputTokens,
                    t.cachedTokens - b.cachedTokens, t.calls - b.calls, t.reusedCalls - b.reusedCalls));
        });
        return new Usage(online);
    }

    // The sums below are loops, not streams: they run several times for every document's result.

    public int batchCalls() {
        int sum = 0;
        for (Tokens t : batchByStage.values()) {
            sum += t.calls;
        }
        return sum;
    }

    public long inputTokens() {
        long sum = 0;
        for (Tokens t : byStage.values()) {
            sum += t.inputTokens;
        }
        return sum;
    }

    public long outputTokens() {
        long sum = 0;
        for (Tokens t : byStage.values()) {
            sum += t.outputTokens;
        }
        return sum;
    }

    public long cachedTokens() {
        long sum = 0;
        for (Tokens t : byStage.values()) {
            sum += t.cachedTokens;
        }
        return sum;
    }

    public int llmCalls() {
        int sum = 0;
        for (Tokens t : byStage.values()) {
            sum += t.calls;
        }
        return sum;
    }

    public int reusedCalls() {
        int sum = 0;
        for (Tokens t : byStage.values()) {
            sum += t.reusedCalls;
        }
        return sum;
    }
}
