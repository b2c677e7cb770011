package dev.precis.publish;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.precis.llm.Pricing;
import dev.precis.llm.Usage;
import dev.precis.pipeline.Outcome;
import dev.precis.pipeline.Status;
import dev.precis.summarize.Strategy;
import dev.precis.translate.Translation;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The value written to the summaries topic; follows {@code schemas/summary.schema.json}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SummaryRecord(String id, String idempotencyKey, Status status, String summary, Translation translation, String model,
        Strategy strategy, int chunks, UsageReport usage, long durationMs, Source source, @JsonRawValue String metadata,
        List<String> warnings, String error) {

    /** Tokens and calls as the provider reported them, and their estimated price, in total and per stage. */
    public record UsageReport(long inputTokens, long outputTokens, long cachedTokens, int llmCalls,
            int reusedCalls, int batchCalls, double estimatedCostUsd, Map<String, StageReport> stages) {

        static UsageReport of(Usage usage, Pricing pricing) {
            Map<String, StageReport> stages = new TreeMap<>();
            usage.byStage().forEach((stage, t) -> {
                Usage.Tokens batch = usage.batchByStage().get(stage);
                Usage one = new Usage(Map.of(stage, t), batch == null ? Map.of() : Map.of(stage, batch));
                stages.put(stage, new StageReport(t.inputTokens(), t.outputTokens(), t.cachedTokens(), t.calls(),
                        t.reusedCalls(), one.batchCalls(), pricing.cost(one)));
            });
            return new UsageReport(usage.inputTokens(), usage.outputTokens(), usage.cachedTokens(), usage.llmCalls(),
                    usage.reusedCalls(), usage.batchCalls(), pricing.cost(usage), stages);
        }
    }

    /** One stage's share (summarize, map, reduce, collapse, refine, translate). */
    public record StageReport(long inputTokens, long outputTokens, long cachedTokens, int llmCalls,
            int reusedCalls, int batchCalls, double estimatedCostUsd) {
    }

    /** Where the input record was read from. */
    public record Source(String topic, int partition, long offset) {
    }

    /**
     * This result without its content (summary, translation, metadata), FAILED with the reason:
     * what is written when Kafka refuses the full record. The usage stays: it was paid for.
     */
    public SummaryRecord refused(String reason) {
        return new SummaryRecord(id, idempotencyKey, Status.FAILED, null, null, model, strategy, chunks, usage,
                durationMs, source, null, warnings, "OUTPUT_REFUSED: Kafka refused the result (" + reason
                        + "); summary, translation and metadata were dropped");
    }

    public static SummaryRecord of(String id, String idempotencyKey, Outcome o, Pricing pricing, long durationMs,
            Source source, String metadata) {
        return new SummaryRecord(id, idempotencyKey, o.status(), o.summary(), o.translation(), o.model(), o.strategy(),
                o.chunks(), UsageReport.of(o.usage(), pricing), durationMs, source, metadata, o.warnings(), o.error());
    }
}
