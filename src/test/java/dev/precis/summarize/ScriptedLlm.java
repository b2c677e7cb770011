package dev.precis.summarize;

import dev.precis.chunking.TokenCounter;
import dev.precis.llm.LlmCall;
import dev.precis.llm.LlmClient;
import dev.precis.llm.LlmException;
import dev.precis.llm.LlmReply;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * In-memory chat model for core tests: counts prompts like a provider (per-message overhead),
 * rejects anything over its real window, and answers with the first words of the prompt's text.
 */
final class ScriptedLlm implements LlmClient {

    private final TokenCounter counter;
    private final int realWindow;
    final List<LlmCall> accepted = Collections.synchronizedList(new ArrayList<>());
    final List<LlmCall> rejected = Collections.synchronizedList(new ArrayList<>());
    /** Calls whose user message contains this marker are answered as cut at the output limit. */
    volatile String truncateMarker = null;
    /** Calls whose user message contains this marker fail as if the provider were down for good. */
    volatile String failMarker = null;

    ScriptedLlm(TokenCounter counter, int realWindow) {
        this.counter = counter;
        this.realWindow = realWindow;
    }

    int promptTokens(LlmCall call) {
        return counter.count(call.system()) + counter.count(call.user()) + 11;
    }

    @Override
    public LlmReply complete(LlmCall call) {
        if (failMarker != null && call.user().contains(failMarker)) {
            throw new LlmException(LlmException.Kind.UNAVAILABLE, "down");
        }
        int prompt = promptTokens(call);
        if (prompt + call.maxOutputTokens() > realWindow) {
            rejected.add(call);
            throw new LlmException(LlmException.Kind.CONTEXT_LENGTH_EXCEEDED, "over " + realWindow);
        }
        accepted.add(call);
        String[] words = call.user().split("\\s+");
        StringBuilder answer = new StringBuilder();
        for (int i = words.length - 1; i >= 0 && counter.count(answer + " " + words[i]) < call.maxOutputTokens() / 2; i--) {
            answer.insert(0, words[i] + " ");
        }
        String text = answer.toString().strip();
        boolean cut = truncateMarker != null && call.user().contains(truncateMarker);
        return new LlmReply(text.isEmpty() ? "ok" : text, prompt, counter.count(text), cut);
    }

    @Override
    public String model() {
        return "scripted";
    }
}
