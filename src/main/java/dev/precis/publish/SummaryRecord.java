package dev.precis.publish;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.precis.Outcome;
import dev.precis.Status;
import dev.precis.llm.Usage;
import dev.precis.summarize.Strategy;
import dev.precis.translate.Translation;
import java.util.List;

/** The value written to the summaries topic; follows {@code schemas/summary.schema.json}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SummaryRecord(String id, Status status, String summary, Translation translation, String model,
        Strategy strategy, int chunks, Usage usage, long durationMs, Source source, JsonNode metadata,
        List<String> warnings, String error) {

    /** Where the input record was read from. */
    public record Source(String topic, int partition, long offset) {
    }

    public static SummaryRecord of(String id, Outcome o, long durationMs, Source source, JsonNode metadata) {
        return new SummaryRecord(id, o.status(), o.summary(), o.translation(), o.model(), o.strategy(),
                o.chunks(), o.usage(), durationMs, source, metadata, o.warnings(), o.error());
    }
}
