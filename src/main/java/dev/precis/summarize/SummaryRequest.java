package dev.precis.summarize;

/**
 * A document to summarize: its id (for logs), optional title and source language, the text, the
 * token ceiling of the final summary, and the strategy asked for.
 */
public record SummaryRequest(String id, String title, String language, String text, int maxSummaryTokens,
        StrategyChoice strategy) {

    public SummaryRequest(String id, String title, String language, String text, int maxSummaryTokens) {
        this(id, title, language, text, maxSummaryTokens, StrategyChoice.AUTO);
    }
}
