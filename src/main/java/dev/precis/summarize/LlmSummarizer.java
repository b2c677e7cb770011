package dev.precis.summarize;

import dev.precis.chunking.ModelProfile;
import dev.precis.chunking.TextSplitter;
import dev.precis.chunking.TokenCounter;
import dev.precis.llm.LlmClient;
import dev.precis.llm.ServerWindow;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Summarizes with a chat model: one call when the document fits the context window, otherwise
 * map-reduce (or refine) over token-budgeted chunks. Every request is sized from the window the
 * server really serves ({@link ServerWindow}) and the rendered prompt; if the server still refuses a
 * request as too long, or reads only part of it, that request is split further (never resent as is)
 * and what the server revealed is kept for the rest of the run.
 */
public final class LlmSummarizer implements Summarizer {

    private final LlmClient llm;
    private final ServerWindow window;
    private final TokenCounter counter;
    private final TextSplitter splitter;
    private final int overlapTokens;
    private final StageTimer timer;
    private final Supplier<ExecutorService> executors;
    private final Prompts prompts = new Prompts();

    /**
     * @param executors runs a document's concurrent map calls (one executor per document); the edge
     *     may wrap it to carry tracing context
     */
    public LlmSummarizer(LlmClient llm, ServerWindow window, TokenCounter counter, int overlapTokens,
            StageTimer timer, Supplier<ExecutorService> executors) {
        this.timer = timer;
        this.executors = executors;
        this.llm = llm;
        this.window = window;
        this.counter = counter;
        this.splitter = new TextSplitter(counter);
        this.overlapTokens = overlapTokens;
    }

    public LlmSummarizer(LlmClient llm, ServerWindow window, TokenCounter counter) {
        this(llm, window, counter, 0, StageTimer.NONE, Executors::newVirtualThreadPerTaskExecutor);
    }

    /** For a model whose local count is exact and whose server is not asked about its window. */
    public LlmSummarizer(LlmClient llm, ModelProfile profile, TokenCounter counter, int overlapTokens) {
        this(llm, ServerWindow.fixed(profile), counter, overlapTokens, StageTimer.NONE,
                Executors::newVirtualThreadPerTaskExecutor);
    }

    public LlmSummarizer(LlmClient llm, ModelProfile profile, TokenCounter counter) {
        this(llm, profile, counter, 0);
    }

    @Override
    public String model() {
        return llm.model();
    }

    @Override
    public Summary summarize(SummaryRequest request) {
        return new SummaryRun(request, llm, window, counter, splitter, prompts, overlapTokens, timer,
                executors).execute();
    }

    /** The prompt templates, loaded once. */
    record Prompts(PromptTemplate summarize, PromptTemplate combine, PromptTemplate refine) {
        Prompts() {
            this(PromptTemplate.load("summarize"), PromptTemplate.load("combine"), PromptTemplate.load("refine"));
        }
    }
}
