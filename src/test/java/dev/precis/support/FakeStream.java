package dev.precis.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A chat completion as OpenAI streams it when a request says {@code "stream": true}: server-sent
 * events of {@code chat.completion.chunk} objects, the first delta with the role, the content a few
 * words at a time, a last chunk with the finish reason, the usage in a chunk of its own (with empty
 * choices) when {@code stream_options.include_usage} is set, then {@code data: [DONE]}.
 */
final class FakeStream {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeStream() {
    }

    static void send(HttpExchange exchange, JsonNode request, byte[] completionBody, long chunkDelayMillis)
            throws IOException {
        JsonNode completion = JSON.readTree(completionBody);
        String content = completion.path("choices").path(0).path("message").path("content").asText("");
        String finish = completion.path("choices").path(0).path("finish_reason").asText("stop");
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        List<String> pieces = pieces(content);
        for (int i = 0; i < pieces.size(); i++) {
            ObjectNode delta = JSON.createObjectNode();
            if (i == 0) {
                delta.put("role", "assistant");
            }
            delta.put("content", pieces.get(i));
            event(out, chunk(completion, delta, null));
            if (chunkDelayMillis > 0 && i < pieces.size() - 1) {
                LockSupport.parkNanos(chunkDelayMillis * 1_000_000);
            }
        }
        event(out, chunk(completion, JSON.createObjectNode(), finish));
        if (request.path("stream_options").path("include_usage").asBoolean(false)) {
            ObjectNode usage = chunk(completion, null, null);
            usage.putArray("choices");
            usage.set("usage", completion.path("usage"));
            event(out, usage);
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** A few words at a time, spaces kept, as a model's tokens come. */
    private static List<String> pieces(String content) {
        List<String> out = new ArrayList<>();
        String[] words = content.split("(?<= )");
        StringBuilder piece = new StringBuilder();
        for (int i = 0; i < words.length; i++) {
            piece.append(words[i]);
            if (i % 3 == 2 || i == words.length - 1) {
                out.add(piece.toString());
                piece.setLength(0);
            }
        }
        if (out.isEmpty()) {
            out.add("");
        }
        return out;
    }

    private static ObjectNode chunk(JsonNode completion, ObjectNode delta, String finish) {
        ObjectNode chunk = JSON.createObjectNode();
        chunk.put("id", completion.path("id").asText("chatcmpl-fake"));
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", completion.path("created").asLong(0));
        chunk.put("model", completion.path("model").asText(""));
        if (delta != null) {
            ObjectNode choice = chunk.putArray("choices").addObject();
            choice.put("index", 0);
            choice.set("delta", delta);
            if (finish == null) {
                choice.putNull("finish_reason");
            } else {
                choice.put("finish_reason", finish);
            }
        }
        return chunk;
    }

    private static void event(OutputStream out, JsonNode data) throws IOException {
        out.write(("data: " + JSON.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
