package dev.precis.llm.provider;

import dev.langchain4j.model.openai.OpenAiChatModel;
import io.quarkiverse.langchain4j.ModelBuilderCustomizer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns off LangChain4j's own retries for OpenAI-compatible chat models: {@link RetryingLlmClient}
 * is the one retry layer, and a second one would multiply attempts and ignore Retry-After.
 */
@ApplicationScoped
public class SingleRetryLayer implements ModelBuilderCustomizer<OpenAiChatModel.OpenAiChatModelBuilder> {

    @Override
    public void customize(OpenAiChatModel.OpenAiChatModelBuilder builder) {
        builder.maxRetries(0);
    }
}
