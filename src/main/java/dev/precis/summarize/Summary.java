package dev.precis.summarize;

import dev.precis.llm.Usage;
import java.util.List;

/** A finished summary with how it was made, what it cost and anything the reader should know. */
public record Summary(String text, Strategy strategy, String model, int chunks, Usage usage,
        List<String> warnings) {

    public Summary {
        warnings = List.copyOf(warnings);
    }
}
