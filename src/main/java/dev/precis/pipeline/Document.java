package dev.precis.pipeline;

import dev.precis.summarize.StrategyChoice;

/**
 * One validated input document. {@code metadataJson} (the request's metadata object as
 * compact JSON text) is passed through to the result untouched;
 * {@code maxSummaryTokens} is already resolved from the request's options or the default;
 * {@code strategy} and {@code model} are null when the request names none.
 */
public record Document(String id, String title, String text, String language, String targetLanguage,
        int maxSummaryTokens, StrategyChoice strategy, String metadataJson, String model) {
}
