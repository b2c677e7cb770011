package dev.precis.summarize;

import dev.precis.llm.TokenSink;

/**
 * A document to summarize: its id (for logs), optional title and source language, the text, the
 * token ceiling of the final summary, the strategy asked for, and who wants the final summary's
 * text as it is written ({@link TokenSink#NONE}: nobody).
 */
public record SummaryRequest(String id, String title, String language, String text, int maxSummaryTokens,
        StrategyChoice strategy, TokenSink sink) {

    public SummaryRequest(String id, String title, String language, String text, int maxSummaryTokens,
            StrategyChoice strategy) {
        this(id, title, language, text, maxSummaryTokens, strategy, TokenSink.NONE);
    }

    public SummaryRequest(String id, String title, String language, String text, int maxSummaryTokens) {
        this(id, title, language, text, maxSummaryTokens, StrategyChoice.AUTO);
    }
}
