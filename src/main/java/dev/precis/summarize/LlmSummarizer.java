package dev.precis.summarize;

import dev.precis.chunking.ModelProfile;
import dev.precis.chunking.TextSplitter;
import dev.precis.chunking.TokenCounter;
import dev.precis.llm.LlmClient;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Summarizes with a chat model: one call when the document fits the context window, otherwise
 * map-reduce (or refine) over token-budgeted chunks. Every request is sized from the model profile
 * and the rendered prompt; if the provider still says a request is over its window, that request
 * is split further (never resent as is) and the margin stays wider for the rest of the run.
 */
public final class LlmSummarizer implements Summarizer {

    private final LlmClient llm;
    private final ModelProfile profile;
    private final TokenCounter counter;
    private final TextSplitter splitter;
    private final int overlapTokens;
    private final StageTimer timer;
    private final Supplier<ExecutorService> executors;
    private final Prompts prompts = new Prompts();
    // Widened when the provider counts more tokens than we do; kept for the rest of the run.
    private final AtomicInteger extraMargin = new AtomicInteger();

    /**
     * @param executors runs a document's concurrent map calls (one executor per document); the edge
     *     may wrap it to carry tracing context
     */
    public LlmSummarizer(LlmClient llm, ModelProfile profile, TokenCounter counter, int overlapTokens,
            StageTimer timer, Supplier<ExecutorService> executors) {
        this.timer = timer;
        this.executors = executors;
        this.llm = llm;
        this.profile = profile;
        this.counter = counter;
        this.splitter = new TextSplitter(counter);
        this.overlapTokens = overlapTokens;
    }

    public LlmSummarizer(LlmClient llm, ModelProfile profile, TokenCounter counter, int overlapTokens) {
        this(llm, profile, counter, overlapTokens, StageTimer.NONE, Executors::newVirtualThreadPerTaskExecutor);
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
        return new SummaryRun(request, llm, profile, counter, splitter, prompts, extraMargin, overlapTokens, timer,
                executors).execute();
    }

    /** The prompt templates, loaded once. */
    record Prompts(PromptTemplate summarize, PromptTemplate combine, PromptTemplate refine) {
        Prompts() {
            this(PromptTemplate.load("summarize"), PromptTemplate.load("combine"), PromptTemplate.load("refine"));
        }
    }
}
