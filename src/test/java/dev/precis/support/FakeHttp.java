package dev.precis.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;

/** What every fake model server shares: JSON answers, and errors in OpenAI's shape. */
public final class FakeHttp {

    public static final ObjectMapper JSON = new ObjectMapper();

    private FakeHttp() {
    }

    /** Answers with a JSON body (bytes as they are, anything else written by Jackson). */
    public static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = body instanceof byte[] b ? b : JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(bytes);
        }
    }

    /** An error body as OpenAI writes it: {@code {"error":{"message","type","param","code"}}}. */
    public static byte[] openAiError(String message, String type, String code) throws IOException {
        ObjectNode out = JSON.createObjectNode();
        ObjectNode e = out.putObject("error").put("message", message).put("type", type).putNull("param");
        if (code == null) {
            e.putNull("code");
        } else {
            e.put("code", code);
        }
        return JSON.writeValueAsBytes(out);
    }
}
