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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Summarizes with a chat model: one call when the document fits the context window, otherwise
 * map-reduce over token-budgeted chunks with recursive collapse of the partial summaries. Every
 * request is sized from the model profile and the rendered prompt, so none exceeds the window.
 */
public final class LlmSummarizer implements Summarizer {

    private static final int MAX_SHRINK_ATTEMPTS = 3;
    private static final int MAX_COLLAPSE_LEVELS = 12;
    private static final int MAX_TITLE_CHARS = 300;

    private final LlmClient llm;
    private final ModelProfile profile;
    private final TokenCounter counter;
    private final TextSplitter splitter;
    private final PromptTemplate summarize = PromptTemplate.load("summarize");
    private final PromptTemplate combine = PromptTemplate.load("combine");
    // Widened when the provider counts more tokens than we do; kept for the rest of the run.
    private final AtomicInteger extraMargin = new AtomicInteger();

    public LlmSummarizer(LlmClient llm, ModelProfile profile, TokenCounter counter) {
        this.llm = llm;
        this.profile = profile;
        this.counter = counter;
        this.splitter = new TextSplitter(counter);
    }

    @Override
    public Summary summarize(SummaryRequest request) {
        for (int attempt = 1; ; attempt++) {
            Run run = new Run(request);
            try {
                return run.execute();
            } catch (LlmException e) {
                if (e.kind() != LlmException.Kind.CONTEXT_LENGTH_EXCEEDED || attempt >= MAX_SHRINK_ATTEMPTS) {
                    throw e;
                }
                // Never resend as is: narrow every budget, which splits the input further.
                extraMargin.getAndUpdate(m -> Math.max(2 * m, profile.contextWindow() / 10));
            }
        }
    }

    /** One attempt at one document; keeps its own usage and warnings. */
    private final class Run {
        private final SummaryRequest request;
        private final int finalTokens;
        private final int partialTokens;
        private final List<String> warnings = new ArrayList<>();
        private Usage usage = Usage.NONE;

        Run(SummaryRequest request) {
            this.request = request;
            this.finalTokens = Math.min(request.maxSummaryTokens(), profile.maxOutputTokens());
            // Partials are sized so that several fit in one combine call; that makes collapse converge.
            this.partialTokens = Math.max(64, Math.min(Math.max(finalTokens, 256),
                    budget(combine, 0) / 4));
        }

        Summary execute() {
            int stuffBudget = budget(summarize, finalTokens);
            int documentTokens = counter.count(request.text());
            if (documentTokens <= stuffBudget) {
                String text = call("summarize", summarize, scope(0, 1), request.text(), finalTokens);
                return done(text, Strategy.STUFF, 1);
            }
            List<Chunk> chunks = splitter.split(request.text(), budget(summarize, partialTokens));
            List<String> partials = mapChunks(chunks);
            return done(collapse(partials), Strategy.MAP_REDUCE, chunks.size());
        }

        private List<String> mapChunks(List<Chunk> chunks) {
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<String>> futures = new ArrayList<>();
                for (Chunk c : chunks) {
                    futures.add(pool.submit(() -> call("map", summarize,
                            scope(c.index() + 1, chunks.size()), c.text(), partialTokens)));
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
            for (int depth = 1; ; depth++) {
                if (depth > MAX_COLLAPSE_LEVELS) {
                    throw new IllegalStateException("Partial summaries did not converge after "
                            + MAX_COLLAPSE_LEVELS + " levels; the model ignores its output limit");
                }
                String all = String.join("\n\n", level);
                if (counter.count(all) <= budget(combine, finalTokens)) {
                    return call("reduce", combine, "", all, finalTokens);
                }
                List<List<Chunk>> groups = group(level, budget(combine, partialTokens));
                List<String> next = new ArrayList<>();
                for (List<Chunk> g : groups) {
                    String joined = String.join("\n\n", g.stream().map(Chunk::text).toList());
                    next.add(call("collapse", combine, "", joined, partialTokens));
                }
                level = next;
            }
        }

        /** Consecutive partials packed by token count; a partial too big on its own is split. */
        private List<List<Chunk>> group(List<String> partials, int groupBudget) {
            List<List<Chunk>> groups = new ArrayList<>();
            List<Chunk> current = new ArrayList<>();
            int used = 0;
            for (String p : partials) {
                for (Chunk piece : splitter.split(p, groupBudget / 2)) {
                    if (used + piece.tokens() + 2 > groupBudget && !current.isEmpty()) {
                        groups.add(current);
                        current = new ArrayList<>();
                        used = 0;
                    }
                    current.add(piece);
                    used += piece.tokens() + 2;
                }
            }
            if (!current.isEmpty()) {
                groups.add(current);
            }
            return groups;
        }

        private String call(String stage, PromptTemplate template, String scope, String text, int maxTokens) {
            PromptTemplate.Rendered p = template.render(vars(scope, maxTokens), text);
            LlmReply reply = llm.complete(new LlmCall(stage, p.system(), p.user(), maxTokens));
            synchronized (this) {
                usage = usage.plus(Usage.of(reply));
                if (reply.truncated()) {
                    warnings.add("The " + stage + " step reached its output limit of " + maxTokens
                            + " tokens; that part of the summary may be cut short.");
                }
            }
            return reply.text().strip();
        }

        private Map<String, String> vars(String scope, int maxTokens) {
            return Map.of("max_words", Integer.toString(Math.max(10, maxTokens * 3 / 5)),
                    "title", title(),
                    "scope", scope);
        }

        /** Input tokens left for the text once the rendered prompt and the reserved output are counted. */
        private int budget(PromptTemplate template, int reservedOutput) {
            PromptTemplate.Rendered empty = template.render(vars(scope(999, 999), 99_999), "");
            int overhead = counter.count(empty.system()) + counter.count(empty.user());
            int budget = profile.inputBudget(reservedOutput) - overhead - extraMargin.get();
            if (budget < 32) {
                throw new IllegalStateException("Model profile " + profile.model() + " leaves only " + budget
                        + " tokens for text; raise its context window or lower the summary length");
            }
            return budget;
        }

        private String title() {
            String t = request.title() == null || request.title().isBlank() ? "(none)" : request.title().strip();
            // A title is context, not content: a runaway one must not eat the text's budget.
            return t.length() <= MAX_TITLE_CHARS ? t : t.substring(0, MAX_TITLE_CHARS) + "…";
        }

        private Summary done(String text, Strategy strategy, int chunks) {
            return new Summary(text, strategy, llm.model(), chunks, usage, warnings);
        }
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
