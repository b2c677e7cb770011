package dev.precis.summarize;

import dev.precis.chunking.Chunk;
import dev.precis.chunking.ModelProfile;
import dev.precis.chunking.TextSplitter;
import dev.precis.chunking.TokenCounter;
import dev.precis.llm.LlmCall;
import dev.precis.llm.LlmClient;
import dev.precis.llm.LlmException;
import dev.precis.llm.LlmReply;
import dev.precis.llm.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** One attempt at summarizing one document with a model; keeps its own usage and warnings. */
final class SummaryRun {

    static final int MAX_COLLAPSE_LEVELS = 12;
    private static final int MAX_TITLE_CHARS = 300;
    private static final String SEPARATOR = "\n\n";

    private final SummaryRequest request;
    private final LlmClient llm;
    private final ModelProfile profile;
    private final TokenCounter counter;
    private final TextSplitter splitter;
    private final LlmSummarizer.Prompts prompts;
    private final int extraMargin;
    private final int overlapTokens;
    private final int finalTokens;
    private final int partialTokens;
    private final List<String> warnings = new ArrayList<>();
    private Usage usage = Usage.NONE;

    SummaryRun(SummaryRequest request, LlmClient llm, ModelProfile profile, TokenCounter counter,
            TextSplitter splitter, LlmSummarizer.Prompts prompts, int extraMargin, int overlapTokens) {
        this.request = request;
        this.llm = llm;
        this.profile = profile;
        this.counter = counter;
        this.splitter = splitter;
        this.prompts = prompts;
        this.extraMargin = extraMargin;
        this.overlapTokens = overlapTokens;
        this.finalTokens = Math.min(request.maxSummaryTokens(), profile.maxOutputTokens());
        // Partials are sized so that at least four fit in one combine call: that makes collapse converge.
        this.partialTokens = Math.max(32, Math.min(Math.max(finalTokens, 256), budget(prompts.combine(), 0) / 4));
    }

    Summary execute() {
        boolean fits = counter.count(request.text()) <= budget(prompts.summarize(), finalTokens);
        StrategyChoice choice = request.strategy() == null ? StrategyChoice.AUTO : request.strategy();
        if (fits) {
            // One call is never worse than several when the whole document fits.
            return done(call("summarize", prompts.summarize(), scope(0, 1), "", request.text(), finalTokens),
                    Strategy.STUFF, 1);
        }
        if (choice == StrategyChoice.STUFF) {
            warnings.add("The stuff strategy was asked for, but the document does not fit the model's context "
                    + "window in one call; it was summarized with map-reduce.");
        }
        return choice == StrategyChoice.REFINE ? refine() : mapReduce();
    }

    private Summary mapReduce() {
        List<Chunk> chunks = split(budget(prompts.summarize(), partialTokens));
        List<String> partials = mapChunks(chunks);
        return done(collapse(partials), Strategy.MAP_REDUCE, chunks.size());
    }

    /** A running summary, updated with each chunk in order; the summary so far takes part of the budget. */
    private Summary refine() {
        List<Chunk> chunks = split(budget(prompts.refine(), finalTokens) - finalTokens);
        String summary = call("map", prompts.summarize(), scope(1, chunks.size()), "", chunks.getFirst().text(), finalTokens);
        for (int i = 1; i < chunks.size(); i++) {
            summary = call("refine", prompts.refine(), scope(i + 1, chunks.size()), summary, chunks.get(i).text(),
                    finalTokens);
        }
        return done(summary, Strategy.REFINE, chunks.size());
    }

    private List<Chunk> split(int budget) {
        int overlap = Math.min(overlapTokens, budget / 4);
        return splitter.split(request.text(), budget, overlap);
    }

    private List<String> mapChunks(List<Chunk> chunks) {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> futures = new ArrayList<>();
            for (Chunk c : chunks) {
                futures.add(pool.submit(() -> call("map", prompts.summarize(), scope(c.index() + 1, chunks.size()),
                        "", c.text(), partialTokens)));
            }
            List<String> out = new ArrayList<>();
            for (Future<String> f : futures) {
                out.add(join(f));
            }
            return out;
        }
    }

    /** Combines partials group by group, level after level, until one final call fits. */
    private String collapse(List<String> partials) {
        List<String> level = partials;
        for (int depth = 1; depth <= MAX_COLLAPSE_LEVELS; depth++) {
            String all = String.join(SEPARATOR, level);
            if (counter.count(all) <= budget(prompts.combine(), finalTokens)) {
                return call("reduce", prompts.combine(), "", "", all, finalTokens);
            }
            List<String> next = new ArrayList<>();
            for (String group : group(level, budget(prompts.combine(), partialTokens))) {
                next.add(call("collapse", prompts.combine(), "", "", group, partialTokens));
            }
            level = next;
        }
        throw new IllegalStateException("Partial summaries did not converge after " + MAX_COLLAPSE_LEVELS
                + " levels; the model ignores its output limit");
    }

    /** Consecutive partials packed by token count; a partial too big on its own is split. */
    private List<String> group(List<String> partials, int groupBudget) {
        List<String> groups = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int used = 0;
        int separator = counter.count(SEPARATOR);
        for (String p : partials) {
            for (Chunk piece : splitter.split(p, groupBudget / 2)) {
                if (used + piece.tokens() + separator > groupBudget && used > 0) {
                    groups.add(current.toString());
                    current.setLength(0);
                    used = 0;
                }
                current.append(used > 0 ? SEPARATOR : "").append(piece.text());
                used += piece.tokens() + separator;
            }
        }
        if (used > 0) {
            groups.add(current.toString());
        }
        return groups;
    }

    /**
     * One model call. An answer cut at the output limit is asked for again once with a tighter word
     * limit (a different request, not a resend); if that is cut too, the result carries a warning.
     */
    private String call(String stage, PromptTemplate template, String scope, String summary, String text, int maxTokens) {
        int words = wordsFor(maxTokens);
        for (int attempt = 1; ; attempt++) {
            PromptTemplate.Rendered p = template.render(vars(scope, summary, words), text);
            LlmReply reply = llm.complete(new LlmCall(stage, p.system(), p.user(), maxTokens));
            synchronized (this) {
                usage = usage.plus(Usage.of(reply));
                if (!reply.truncated()) {
                    return reply.text().strip();
                }
                if (attempt == 2) {
                    warnings.add("The " + stage + " step reached its output limit of " + maxTokens
                            + " tokens twice; that part of the summary may be cut short.");
                    return reply.text().strip();
                }
            }
            words = Math.max(5, words / 2);
        }
    }

    private static int wordsFor(int tokens) {
        return Math.max(10, tokens * 3 / 5);
    }

    private Map<String, String> vars(String scope, String summary, int words) {
        return Map.of("max_words", Integer.toString(words), "title", title(), "scope", scope, "summary", summary);
    }

    private String title() {
        String t = request.title() == null || request.title().isBlank() ? "(none)" : request.title().strip();
        // A title is context, not content: a runaway one must not eat the text's budget.
        return t.length() <= MAX_TITLE_CHARS ? t : t.substring(0, MAX_TITLE_CHARS) + "…";
    }

    /** Input tokens left for the text once the rendered prompt and the reserved output are counted. */
    private int budget(PromptTemplate template, int reservedOutput) {
        PromptTemplate.Rendered empty = template.render(vars(scope(999, 999), "", 99_999), "");
        int overhead = counter.count(empty.system()) + counter.count(empty.user());
        int budget = profile.inputBudget(reservedOutput) - overhead - extraMargin;
        if (budget < 4 * TextSplitter.MIN_BUDGET) {
            throw new IllegalStateException("Model profile " + profile.model() + " leaves only " + budget
                    + " tokens for text; raise its context window or lower the summary length");
        }
        return budget;
    }

    private Summary done(String text, Strategy strategy, int chunks) {
        return new Summary(text, strategy, llm.model(), chunks, usage, warnings);
    }

    private static String scope(int part, int of) {
        return of <= 1 ? "Summarize this document."
                : "This is part " + part + " of " + of + " of a longer document. Summarize this part.";
    }

    private static String join(Future<String> f) {
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
