package dev.precis.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.precis.summarize.StrategyChoice;

/**
 * One validated input document. {@code metadata} is passed through to the result untouched;
 * {@code maxSummaryTokens} is already resolved from the request's options or the default;
 * {@code strategy} and {@code model} are null when the request names none.
 */
public record Document(String id, String title, String text, String language, String targetLanguage,
        int maxSummaryTokens, StrategyChoice strategy, JsonNode metadata, String model) {
}
