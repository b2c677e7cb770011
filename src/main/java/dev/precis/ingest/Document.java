package dev.precis.ingest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One validated input document. {@code metadata} is passed through to the result untouched;
 * {@code maxSummaryTokens} is already resolved from the request's options or the default.
 */
public record Document(String id, String title, String text, String language, String targetLanguage,
        int maxSummaryTokens, JsonNode metadata) {
}
