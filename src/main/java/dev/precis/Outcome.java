package dev.precis;

import dev.precis.llm.Usage;
import dev.precis.summarize.Strategy;
import dev.precis.translate.Translation;
import java.util.List;

/** What the pipeline made of one document; {@code error} is set only when the status is FAILED. */
public record Outcome(Status status, String summary, Translation translation, String model,
        Strategy strategy, int chunks, Usage usage, long durationMs, List<String> warnings, String error) {

    public Outcome {
        warnings = List.copyOf(warnings);
    }
}
