package dev.precis.llm.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.precis.llm.LlmReply;
import dev.precis.llm.TokenSink;
import java.io.IOException;
import java.util.concurrent.Flow;

/**
 * A chat completion read as the server streams it: {@code data:} lines of
 * {@code chat.completion.chunk} objects, each delta's text passed on as it comes, the finish
 * reason from the choice that carries it, the usage from the chunk that has one (the last, with
 * {@code stream_options.include_usage}), until {@code data: [DONE]}. An {@code error} object in
 * the stream (vLLM and OpenAI send one when generation fails midway) ends the answer with the
 * server's words.
 */
final class ServerSentAnswer implements Flow.Subscriber<String> {

    private final TokenSink sink;
    private final StringBuilder text = new StringBuilder();
    private String finish = "";
    private JsonNode usage = MissingNode.getInstance();
    private String error;

    ServerSentAnswer(TokenSink sink) {
        this.sink = sink;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
        if (!line.startsWith("data:") || error != null) {
            return;
        }
        String data = line.substring(5).strip();
        if (data.isEmpty() || data.equals("[DONE]")) {
            return;
        }
        JsonNode chunk;
        try {
            chunk = ChatCompletions.JSON.readTree(data);
        } catch (IOException e) {
            error = data;
            return;
        }
        if (chunk.hasNonNull("error")) {
            error = data;
            return;
        }
        JsonNode choice = chunk.path("choices").path(0);
        JsonNode delta = choice.path("delta").path("content");
        if (delta.isTextual() && !delta.asText().isEmpty()) {
            text.append(delta.asText());
            sink.text(delta.asText());
        }
        if (choice.path("finish_reason").isTextual()) {
            finish = choice.path("finish_reason").asText();
        }
        if (chunk.path("usage").isObject()) {
            usage = chunk.path("usage");
        }
    }

    @Override
    public void onError(Throwable throwable) {
        // The HTTP client fails the answer itself.
    }

    @Override
    public void onComplete() {
        // The reply is read by reply().
    }

    LlmReply reply() {
        if (error != null) {
            throw ProviderErrors.classify(-1, error, true, false, "error in the streamed answer", null);
        }
        return ChatCompletions.reply(text.toString(), finish, usage);
    }
}
