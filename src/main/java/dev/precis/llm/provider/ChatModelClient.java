package dev.precis.llm.provider;

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
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.precis.llm.LlmCall;
import dev.precis.llm.LlmClient;
import dev.precis.llm.LlmException;
import dev.precis.llm.LlmReply;
import dev.precis.llm.TokenSink;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Adapts a LangChain4j {@link ChatModel} (Gemini's) to {@link LlmClient}. */
public final class ChatModelClient implements LlmClient {

    private final ChatModel model;
    private final StreamingChatModel streaming;
    private final Duration timeout;
    private final String modelName;

    public ChatModelClient(ChatModel model, String modelName) {
        this(model, null, modelName, Duration.ofMinutes(3));
    }

    /**
     * {@code streaming}: the same model's streaming client, used for calls whose text someone
     * watches as it is written (null: such calls are answered whole); {@code timeout} bounds the wait
     * for a streamed answer.
     */
    public ChatModelClient(ChatModel model, StreamingChatModel streaming, String modelName, Duration timeout) {
        this.model = model;
        this.streaming = streaming;
        this.modelName = modelName;
        this.timeout = timeout;
    }

    @Override
    public LlmReply complete(LlmCall call) {
        ChatRequest request = ChatRequest.builder()
                .messages(SystemMessage.from(call.system()), UserMessage.from(call.user()))
                .maxOutputTokens(call.maxOutputTokens())
                .build();
        ChatResponse response;
        try {
            response = call.streamed() && streaming != null ? streamed(request, call.sink()) : model.chat(request);
        } catch (RuntimeException e) {
            throw classify(e);
        }
        if (call.streamed() && streaming == null) {
            call.sink().begin();
            call.sink().text(response.aiMessage() == null || response.aiMessage().text() == null ? ""
                    : response.aiMessage().text());
        }
        TokenUsage usage = response.tokenUsage();
        int in = usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
        int out = usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
        int cached = 0;
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

    /** The answer as the streaming client writes it, each piece passed on; the whole response at the end. */
    private ChatResponse streamed(ChatRequest request, TokenSink sink) {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        sink.begin();
        streaming.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                sink.text(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse complete) {
                done.complete(complete);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        try {
            return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmException(LlmException.Kind.UNAVAILABLE, "Interrupted while the model was answering");
        } catch (java.util.concurrent.TimeoutException e) {
            throw new LlmException(LlmException.Kind.UNAVAILABLE, "The streamed answer took longer than " + timeout);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new RuntimeException(e.getCause());
        }
    }

    @Override
    public String model() {
        return modelName;
    }

    /** Maps a provider client's exception to what the caller should do (see {@link ProviderErrors}). */
    static LlmException classify(RuntimeException e) {
        HttpException http = find(e, HttpException.class);
        int status = http == null ? -1 : http.statusCode();
        String body = http == null ? String.valueOf(e.getMessage()) : String.valueOf(http.getMessage());
        boolean transport = status >= 500 || find(e, InternalServerException.class) != null
                || find(e, TimeoutException.class) != null || find(e, IOException.class) != null
                || find(e, java.util.concurrent.TimeoutException.class) != null;
        if (status < 0 && !transport) {
            if (find(e, RateLimitException.class) != null) {
                status = 429;
            } else if (find(e, AuthenticationException.class) != null) {
                status = 401;
            } else if (find(e, ModelNotFoundException.class) != null) {
                status = 404;
            }
        }
        boolean filtered = find(e, ContentFilteredException.class) != null;
        return ProviderErrors.classify(status, http == null ? "" : body, transport, filtered,
                http == null ? e.getClass().getSimpleName() : null, e);
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
