package dev.precis.llm;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import java.io.IOException;
import java.util.Locale;

/** Adapts a LangChain4j {@link ChatModel} (any configured provider) to {@link LlmClient}. */
public final class ChatModelClient implements LlmClient {

    private final ChatModel model;
    private final String modelName;

    public ChatModelClient(ChatModel model, String modelName) {
        this.model = model;
        this.modelName = modelName;
    }

    @Override
    public LlmReply complete(LlmCall call) {
        ChatRequest request = ChatRequest.builder()
                .messages(SystemMessage.from(call.system()), UserMessage.from(call.user()))
                .maxOutputTokens(call.maxOutputTokens())
                .build();
        ChatResponse response;
        try {
            response = model.chat(request);
        } catch (RuntimeException e) {
            throw classify(e);
        }
        TokenUsage usage = response.tokenUsage();
        int in = usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
        int out = usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
        int cached = usage instanceof OpenAiTokenUsage openAi && openAi.inputTokensDetails() != null
                && openAi.inputTokensDetails().cachedTokens() != null ? openAi.inputTokensDetails().cachedTokens() : 0;
        String text = response.aiMessage() == null ? null : response.aiMessage().text();
        LlmReply reply = new LlmReply(text == null ? "" : text, in, out, response.finishReason() == FinishReason.LENGTH, cached);
        if (response.finishReason() == FinishReason.CONTENT_FILTER) {
            throw new LlmException(LlmException.Kind.CONTENT_FILTERED, "The provider's content filter stopped the answer")
                    .spent(reply);
        }
        if (text == null || text.isBlank()) {
            throw new LlmException(LlmException.Kind.UNAVAILABLE, "The model returned an empty answer").spent(reply);
        }
        return reply;
    }

    @Override
    public String model() {
        return modelName;
    }

    /** Maps provider errors to what the caller should do; the error body is never logged by us. */
    static LlmException classify(RuntimeException e) {
        HttpException http = find(e, HttpException.class);
        String body = http == null ? String.valueOf(e.getMessage()) : String.valueOf(http.getMessage());
        String lower = body.toLowerCase(Locale.ROOT);
        int status = http == null ? -1 : http.statusCode();
        if (lower.contains("context_length_exceeded") || lower.contains("maximum context length")) {
            return new LlmException(LlmException.Kind.CONTEXT_LENGTH_EXCEEDED, "The provider says the request is over the model's context window", -1, e);
        }
        if (lower.contains("insufficient_quota")) {
            return new LlmException(LlmException.Kind.ACCOUNT, "The provider account has no quota left (insufficient_quota)", -1, e);
        }
        if (status == 429 || find(e, RateLimitException.class) != null) {
            return new LlmException(LlmException.Kind.RATE_LIMITED, "Rate limited by the provider (429)", RetryHints.fromBody(body), e);
        }
        if (status >= 500 || find(e, InternalServerException.class) != null || find(e, TimeoutException.class) != null
                || find(e, IOException.class) != null || find(e, java.util.concurrent.TimeoutException.class) != null) {
            return new LlmException(LlmException.Kind.UNAVAILABLE, "The provider is unavailable"
                    + (status > 0 ? " (HTTP " + status + ")" : " (" + e.getClass().getSimpleName() + ")"), -1, e);
        }
        if (find(e, ContentFilteredException.class) != null || lower.contains("content_filter")) {
            return new LlmException(LlmException.Kind.CONTENT_FILTERED, "The provider's content filter refused the request", -1, e);
        }
        if (status == 401 || status == 403 || find(e, AuthenticationException.class) != null) {
            return new LlmException(LlmException.Kind.ACCOUNT, "The provider refused the credentials (HTTP " + status + ")", -1, e);
        }
        if (status == 404 || find(e, ModelNotFoundException.class) != null) {
            return new LlmException(LlmException.Kind.REJECTED, "The provider does not know the model", -1, e);
        }
        return new LlmException(status > 0 ? LlmException.Kind.REJECTED : LlmException.Kind.UNAVAILABLE,
                "The model call failed" + (status > 0 ? " (HTTP " + status + ")" : " (" + e.getClass().getSimpleName() + ")"), -1, e);
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
