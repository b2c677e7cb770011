package dev.precis.summarize;

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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The model calls of one summary run: renders a prompt, sizes text budgets from the model profile
 * and the rendered template, sends the call, and keeps the run's usage and warnings.
 */
final class ModelCalls {

    private static final int MAX_TITLE_CHARS = 300;

    private final SummaryRequest request;
    private final LlmClient llm;
    private final ModelProfile profile;
    private final TokenCounter counter;
    private final AtomicInteger extraMargin;
    private final List<String> warnings = new ArrayList<>();
    private Usage usage = Usage.NONE;

    ModelCalls(SummaryRequest request, LlmClient llm, ModelProfile profile, TokenCounter counter,
            AtomicInteger extraMargin) {
        this.request = request;
        this.llm = llm;
        this.profile = profile;
        this.counter = counter;
        this.extraMargin = extraMargin;
    }

    /** The extra margin in force now; text sized now is sent with this value. */
    int margin() {
        return extraMargin.get();
    }

    synchronized Usage usage() {
        return usage;
    }

    synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }

    synchronized void warn(String warning) {
        warnings.add(warning);
    }

    /**
     * One model call; {@code sizedWithMargin} is the extra margin in force when its text was sized.
     * An answer cut at the output limit is asked for again once with a tighter word
     * limit (a different request, not a resend); if that is cut too, the result carries a warning.
     */
    String call(String stage, PromptTemplate template, String scope, String summary, String text, int maxTokens,
            int sizedWithMargin) {
        int words = wordsFor(maxTokens);
        for (int attempt = 1; ; attempt++) {
            PromptTemplate.Rendered p = template.render(vars(scope, summary, words), text);
            if (sizedWithMargin < extraMargin.get() && !fitsNow(p, maxTokens)) {
                // Sized before the margin widened: split it now rather than pay for a rejection.
                throw new LlmException(LlmException.Kind.CONTEXT_LENGTH_EXCEEDED, "Re-sized after the margin widened");
            }
            LlmReply reply;
            try {
                reply = llm.complete(new LlmCall(stage, p.system(), p.user(), maxTokens));
            } catch (LlmException e) {
                if (e.kind() == LlmException.Kind.CONTEXT_LENGTH_EXCEEDED) {
                    widenFrom(sizedWithMargin);
                }
                if (e.spent() != null) {
                    synchronized (this) {
                        usage = usage.plus(Usage.of(stage, e.spent()));
                    }
                }
                throw e;
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

    private boolean fitsNow(PromptTemplate.Rendered prompt, int maxTokens) {
        return counter.count(prompt.system()) + counter.count(prompt.user())
                <= profile.inputBudget(maxTokens) - extraMargin.get();
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
    int budget(PromptTemplate template, int reservedOutput) {
        PromptTemplate.Rendered empty = template.render(vars(scope(999, 999), "", 99_999), "");
        int overhead = counter.count(empty.system()) + counter.count(empty.user());
        int budget = profile.inputBudget(reservedOutput) - overhead - extraMargin.get();
        if (budget < 4 * TextSplitter.MIN_BUDGET) {
            throw new IllegalStateException("Model profile " + profile.model() + " leaves only " + budget
                    + " tokens for text; raise its context window or lower the summary length");
        }
        return budget;
    }

    /**
     * The provider counted more than we did: widen the margin for the rest of the run, once per
     * margin value, however many concurrent requests were rejected against it.
     */
    private void widenFrom(int seen) {
        int step = Math.max(profile.contextWindow() / 20, seen / 2);
        extraMargin.accumulateAndGet(seen, (current, s) -> current > s ? current : s + step);
    }

    static String scope(int part, int of) {
        return of <= 1 ? "Summarize this document."
                : "This is part " + part + " of " + of + " of a longer document. Summarize this part.";
    }
}
