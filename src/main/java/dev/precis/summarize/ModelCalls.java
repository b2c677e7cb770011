package dev.precis.summarize;

import dev.precis.chunking.TextSplitter;
import dev.precis.chunking.TokenCounter;
import dev.precis.llm.LlmCall;
import dev.precis.llm.LlmClient;
import dev.precis.llm.LlmException;
import dev.precis.llm.LlmReply;
import dev.precis.llm.ServerWindow;
import dev.precis.llm.TokenSink;
import dev.precis.llm.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The model calls of one summary run: renders a prompt, sizes text budgets from the window the
 * server really serves and the rendered template, sends the call (never one that no longer fits),
 * and keeps the run's usage and warnings.
 */
final class ModelCalls {

    private static final java.util.Set<String> FINAL_STAGES = java.util.Set.of("summarize", "reduce", "refine");

    private static final int MAX_TITLE_CHARS = 300;
    private static final Map<Counted, Integer> OVERHEADS = new java.util.concurrent.ConcurrentHashMap<>();

    private final SummaryRequest request;
    private final LlmClient llm;
    private final ServerWindow window;
    private final TokenCounter counter;
    private final List<String> warnings = new ArrayList<>();
    private Usage usage = Usage.NONE;

    ModelCalls(SummaryRequest request, LlmClient llm, ServerWindow window, TokenCounter counter) {
        this.request = request;
        this.llm = llm;
        this.window = window;
        this.counter = counter;
    }

    /** The extra margin in force now; text sized now is sent with this value. */
    int margin() {
        return window.margin();
    }

    synchronized Usage usage() {
        return usage;
    }

    synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }

    synchronized void warn(String warning) {
        if (!warnings.contains(warning)) {
            warnings.add(warning);
        }
    }

    /**
     * One model call; {@code sizedWithMargin} is the extra margin in force when its text was sized.
     * A prompt that no longer fits what is known of the server is not sent: the caller splits it,
     * as it does when the server refuses it or reads only part of it. An answer cut
     * at the output limit is asked for again once with a tighter word limit (a different request,
     * not a resend); if that is cut too, the result carries a warning.
     */
    String call(String stage, PromptTemplate template, String scope, String summary, String text, int maxTokens,
            int sizedWithMargin) {
        int words = wordsFor(maxTokens);
        for (int attempt = 1; ; attempt++) {
            PromptTemplate.Rendered p = template.render(vars(scope, summary, words), text);
            // The user message is the text plus a line or two of scaffolding: close enough to learn ratios by.
            int textTokens = counter.count(p.user());
            int local = counter.count(p.system()) + textTokens;
            LlmReply reply;
            try (ServerWindow.Probe probe = window.probe(p.system(), p.user(), local, textTokens, text, maxTokens)) {
                if (!window.fits(local, text, maxTokens)) {
                    // Sized before the window was known better: split it now rather than pay for a refusal.
                    throw new LlmException(LlmException.Kind.CONTEXT_LENGTH_EXCEEDED, "Re-sized to the server's window");
                }
                reply = send(stage, p, maxTokens, local, textTokens, text, sizedWithMargin);
            }
            synchronized (this) {
                usage = usage.plus(Usage.of(stage, reply));
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

    /** The calls whose answer is the summary as it stands: the one call, the final combination, each refinement. */
    private TokenSink sinkFor(String stage) {
        return FINAL_STAGES.contains(stage) ? request.sink() : TokenSink.NONE;
    }

    private LlmReply send(String stage, PromptTemplate.Rendered p, int maxTokens, int local, int textTokens, String text,
            int sizedWithMargin) {
        LlmReply reply;
        try {
            reply = llm.complete(new LlmCall(stage, p.system(), p.user(), maxTokens, local, sinkFor(stage), request.id()));
        } catch (LlmException e) {
            if (e.spent() != null) {
                synchronized (this) {
                    usage = usage.plus(Usage.of(stage, e.spent()));
                }
            }
            if (e.kind() == LlmException.Kind.CONTEXT_LENGTH_EXCEEDED && e.refusal() != null && e.refusal().silent()) {
                warn("The model server silently truncated a " + stage + " prompt (" + e.refusal().message()
                        + "); that answer was discarded, and the text was split to fit the " + window.currentWindow()
                        + "-token window it serves and summarized again.");
            } else if (e.kind() == LlmException.Kind.CONTEXT_LENGTH_EXCEEDED) {
                window.refused(local, textTokens, text, e.refusal(), sizedWithMargin);
            }
            throw e;
        }
        if (!reply.reused() && reply.inputTokens() <= 0) {
            warn("The model server reported no prompt token usage, so whether it read each prompt whole "
                    + "(no silent truncation) could not be checked.");
        }
        return reply;
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

    /**
     * Local tokens left for the text once the rendered prompt and the reserved output are counted,
     * for text like {@code sample} (the server's token ratio depends on the writing).
     */
    int budget(PromptTemplate template, int reservedOutput, String sample) {
        PromptTemplate.Rendered empty = template.render(vars(scope(999, 999), "", 99_999), "");
        int overhead = overhead(empty.system()) + overhead(empty.user());
        int budget = window.textBudget(reservedOutput, overhead, sample);
        if (budget < 4 * TextSplitter.MIN_BUDGET) {
            throw new LlmException(LlmException.Kind.REJECTED, "The model's window of " + window.currentWindow()
                    + " tokens (" + window.describe() + ") leaves only " + budget + " tokens for text with "
                    + reservedOutput + " reserved for the answer; serve a larger window or lower the summary length");
        }
        return budget;
    }

    /** Tokens of a prompt without its text: mostly the same few strings, so counted once each. */
    private int overhead(String prompt) {
        if (OVERHEADS.size() > 1_000) {
            OVERHEADS.clear();
        }
        return OVERHEADS.computeIfAbsent(new Counted(counter, prompt), c -> c.counter().count(c.text()));
    }

    private record Counted(TokenCounter counter, String text) {
    }

    static String scope(int part, int of) {
        return of <= 1 ? "Summarize this document."
                : "This is part " + part + " of " + of + " of a longer document. Summarize this part.";
    }
}
