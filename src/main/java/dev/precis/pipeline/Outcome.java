package dev.precis.pipeline;

import dev.precis.llm.LlmException;
import dev.precis.llm.Usage;
import dev.precis.summarize.Strategy;
import dev.precis.translate.Translation;
import java.util.List;

/**
 * What the pipeline made of one document. {@code error} (for people) and {@code failure} (for code:
 * retry routing, metric tags) are set only when the status is FAILED; {@code failure} is null for a
 * failure that is not the model's (a bug, an unexpected exception).
 */
public record Outcome(Status status, String summary, Translation translation, String model,
        Strategy strategy, int chunks, Usage usage, long durationMs, List<String> warnings, String error,
        LlmException.Kind failure) {

    public Outcome {
        warnings = List.copyOf(warnings);
    }

    /** True when trying again later may succeed: the provider throttled or was unavailable. */
    public boolean mayPassLater() {
        return status == Status.FAILED
                && (failure == LlmException.Kind.RATE_LIMITED || failure == LlmException.Kind.UNAVAILABLE);
    }
}
