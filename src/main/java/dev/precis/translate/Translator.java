package dev.precis.translate;

import dev.precis.llm.LlmCall;
import dev.precis.llm.LlmClient;
import dev.precis.llm.LlmReply;
import dev.precis.summarize.PromptTemplate;
import java.util.Map;

/** Translates a finished summary with a second model call (generate, then transform). */
public final class Translator {

    private final LlmClient llm;
    private final PromptTemplate prompt = PromptTemplate.load("translate");

    public Translator(LlmClient llm) {
        this.llm = llm;
    }

    /**
     * The model's reply translating {@code summary} into {@code targetLanguage}; the output cap
     * leaves room for scripts that need more tokens than the source.
     */
    public LlmReply translate(String summary, int summaryTokens, String targetLanguage) {
        PromptTemplate.Rendered p = prompt.render(Map.of("target", targetLanguage), summary);
        int cap = Math.max(64, summaryTokens * 3);
        return llm.complete(new LlmCall("translate", p.system(), p.user(), cap));
    }
}
