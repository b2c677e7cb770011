package dev.precis.summarize;

import dev.precis.chunking.Chunk;
import dev.precis.chunking.TextSplitter;
import dev.precis.chunking.TokenCounter;
import dev.precis.llm.LlmClient;
import dev.precis.llm.LlmException;
import dev.precis.llm.ServerWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/** One attempt at summarizing one document with a model; keeps its own usage and warnings. */
final class SummaryRun {

    static final int MAX_COLLAPSE_LEVELS = 12;
    private static final String SEPARATOR = "\n\n";

    private final SummaryRequest request;
    private final LlmClient llm;
    private final TokenCounter counter;
    private final TextSplitter splitter;
    private final LlmSummarizer.Prompts prompts;
    private final int overlapTokens;
    private final int finalTokens;
    private int partialTokens;
    private int mapTokens;
    private int textTokens;
    private final StageTimer timer;
    private final Supplier<ExecutorService> executors;
    private final ModelCalls calls;

    SummaryRun(SummaryRequest request, LlmClient llm, ServerWindow window, TokenCounter counter,
            TextSplitter splitter, LlmSummarizer.Prompts prompts, int overlapTokens,
            StageTimer timer, Supplier<ExecutorService> executors) {
        this.timer = timer;
        this.executors = executors;
        this.request = request;
        this.calls = new ModelCalls(request, llm, window, counter);
        this.llm = llm;
        this.counter = counter;
        this.splitter = splitter;
        this.prompts = prompts;
        this.overlapTokens = overlapTokens;
        this.finalTokens = Math.min(request.maxSummaryTokens(), window.configured().maxOutputTokens());
    }

    Summary execute() {
        try {
            // Partials are sized so that at least four fit in one combine call: that makes collapse converge.
            partialTokens = Math.max(32, Math.min(Math.max(finalTokens, 256),
                    budget(prompts.combine(), 0, request.text()) / 4));
            return choose();
        } catch (LlmException e) {
            throw new SummaryFailedException(e, calls.usage());
        }
    }

    private Summary choose() {
        int margin = calls.margin();
        textTokens = counter.count(request.text());
        boolean fits = textTokens <= budget(prompts.summarize(), finalTokens, request.text());
        StrategyChoice choice = request.strategy() == null ? StrategyChoice.AUTO : request.strategy();
        if (fits) {
            // One call is never worse than several when the whole document fits.
            try {
                return done(call("summarize", prompts.summarize(), scope(0, 1), "", request.text(), finalTokens,
                        margin), Strategy.STUFF, 1);
            } catch (LlmException e) {
                widenOnOverflow(e);
                return mapReduce();
            }
        }
        if (choice == StrategyChoice.STUFF) {
            calls.warn("The stuff strategy was asked for, but the document does not fit the model's context "
                    + "window in one call; it was summarized with map-reduce.");
        }
        return choice == StrategyChoice.REFINE ? refine() : mapReduce();
    }

    private Summary mapReduce() {
        int margin = calls.margin();
        // About this many chunks at the partial ceiling; their caps share four final summaries. Cut for the
        // smaller cap, the chunks are larger and no more numerous, so the share still holds.
        int chunksAtCeiling = (int) Math.ceil((double) textTokens
                / Math.max(1, budget(prompts.summarize(), partialTokens, request.text())));
        mapTokens = OutputCaps.perChunk(finalTokens, partialTokens, chunksAtCeiling);
        List<Chunk> chunks = split(budget(prompts.summarize(), mapTokens, request.text()));
        List<String> partials = mapChunks(chunks, margin);
        return done(collapse(partials), Strategy.MAP_REDUCE, chunks.size());
    }

    /** A running summary, updated with each chunk in order; the summary so far takes part of the budget. */
    private Summary refine() {
        int margin = calls.margin();
        List<Chunk> chunks = split(refineBudget());
        String summary = null;
        for (int i = 0; i < chunks.size(); i++) {
            summary = refineWith(summary, chunks.get(i).text(), scope(i + 1, chunks.size()), margin);
        }
        return done(summary, Strategy.REFINE, chunks.size());
    }

    private String refineWith(String summary, String text, String scope, int margin) {
        try {
            return summary == null ? call("map", prompts.summarize(), scope, "", text, finalTokens, margin)
                    : call("refine", prompts.refine(), scope, summary, text, finalTokens, margin);
        } catch (LlmException e) {
            widenOnOverflow(e);
            int widened = calls.margin();
            String running = summary;
            for (Chunk part : splitter.split(text, smaller(text, refineBudget()))) {
                running = refineWith(running, part.text(), scope, widened);
            }
            return running;
        }
    }

    private int refineBudget() {
        return budget(prompts.refine(), finalTokens, request.text()) - finalTokens;
    }

    /** Lets a context overflow through to the caller, which splits what failed; rethrows anything else. */
    private static void widenOnOverflow(LlmException e) {
        if (e.kind() != LlmException.Kind.CONTEXT_LENGTH_EXCEEDED) {
            throw e;
        }
    }

    /** A budget under the current one that also splits {@code text} into at least two parts. */
    private int smaller(String text, int budget) {
        return Math.max(TextSplitter.MIN_BUDGET, Math.min(budget, counter.count(text) / 2 + 1));
    }

    private List<Chunk> split(int budget) {
        long start = System.nanoTime();
        int overlap = Math.min(overlapTokens, budget / 4);
        List<Chunk> chunks = splitter.split(request.text(), budget, overlap);
        timer.record("chunking", System.nanoTime() - start);
        return chunks;
    }

    private List<String> mapChunks(List<Chunk> chunks, int margin) {
        try (ExecutorService pool = executors.get()) {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (Chunk c : chunks) {
                futures.add(pool.submit(() -> mapText(c.text(), scope(c.index() + 1, chunks.size()), margin)));
            }
            List<String> out = new ArrayList<>();
            for (Future<List<String>> f : futures) {
                out.addAll(join(f));
            }
            return out;
        }
    }

    /** Partial summaries of one chunk: one, or several if the provider rejected it as too long. */
    private List<String> mapText(String text, String scope, int margin) {
        try {
            return List.of(call("map", prompts.summarize(), scope, "", text,
                    OutputCaps.atMostHalf(mapTokens, counter.count(text)), margin));
        } catch (LlmException e) {
            widenOnOverflow(e);
            int widened = calls.margin();
            List<String> out = new ArrayList<>();
            for (Chunk part : splitter.split(text, smaller(text, budget(prompts.summarize(), partialTokens, text)))) {
                out.addAll(mapText(part.text(), scope, widened));
            }
            return out;
        }
    }

    /** Combines partials group by group, level after level, until one final call fits. */
    private String collapse(List<String> partials) {
        List<String> level = partials;
        for (int depth = 1; depth <= MAX_COLLAPSE_LEVELS; depth++) {
            String all = String.join(SEPARATOR, level);
            int allTokens = counter.count(all);
            int margin = calls.margin();
            if (allTokens <= budget(prompts.combine(), finalTokens, all)) {
                try {
                    return call("reduce", prompts.combine(), "", "", all, finalTokens, margin);
                } catch (LlmException e) {
                    widenOnOverflow(e);
                }
            }
            // CollapseGroups smaller than what was just rejected, so that nothing is resent as is.
            int groupMargin = calls.margin();
            int groupBudget = Math.min(budget(prompts.combine(), partialTokens, all), allTokens / 2 + 1);
            List<String> next = new ArrayList<>();
            for (String group : CollapseGroups.pack(level, groupBudget, splitter, counter, SEPARATOR)) {
                next.addAll(combineGroup(group, groupMargin));
            }
            level = next;
        }
        throw new IllegalStateException("Partial summaries did not converge after " + MAX_COLLAPSE_LEVELS
                + " levels; the model ignores its output limit");
    }

    private List<String> combineGroup(String group, int margin) {
        try {
            return List.of(call("collapse", prompts.combine(), "", "", group, partialTokens, margin));
        } catch (LlmException e) {
            widenOnOverflow(e);
            int widened = calls.margin();
            List<String> out = new ArrayList<>();
            for (Chunk part : splitter.split(group, smaller(group, budget(prompts.combine(), partialTokens, group)))) {
                out.addAll(combineGroup(part.text(), widened));
            }
            return out;
        }
    }

    private Summary done(String text, Strategy strategy, int chunks) {
        return new Summary(text, strategy, llm.model(), chunks, calls.usage(), calls.warnings());
    }

    private String call(String stage, PromptTemplate template, String scope, String summary, String text,
            int maxTokens, int sizedWithMargin) {
        return calls.call(stage, template, scope, summary, text, maxTokens, sizedWithMargin);
    }

    private int budget(PromptTemplate template, int reservedOutput, String sample) {
        return calls.budget(template, reservedOutput, sample);
    }

    private static String scope(int part, int of) {
        return ModelCalls.scope(part, of);
    }

    private static <T> T join(Future<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmException(LlmException.Kind.UNAVAILABLE, "Interrupted during map calls");
        }
    }
}
