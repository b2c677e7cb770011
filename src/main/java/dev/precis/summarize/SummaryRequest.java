package dev.precis.summarize;

/**
 * A document to summarize: its id (for logs), optional title and source language, the text, and the
 * token ceiling of the final summary.
 */
public record SummaryRequest(String id, String title, String language, String text, int maxSummaryTokens) {
}
