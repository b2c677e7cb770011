package dev.precis.llm.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * The words a model server put in its error body, fit for a result and a log line: the JSON
 * error message (OpenAI, vLLM, llama.cpp, Ollama and Gemini shapes), bounded in length, with any
 * quoted run long enough to be document text cut out (some servers echo the input they refused).
 */
public final class ServerMessage {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_CHARS = 400;
    // Validation errors (pydantic, for one) quote the offending input; a long quoted run may be the document.
    private static final Pattern LONG_QUOTE = Pattern.compile("(['\"])[^'\"]{40,}\\1");
    private static final Pattern SECRET = Pattern.compile("(sk-|Bearer\\s+|key=)[A-Za-z0-9_\\-.]{8,}");

    private ServerMessage() {
    }

    /** The server's own message from an error body, or the body itself when it is not JSON; "" for none. */
    public static String of(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String message = fromJson(body.strip());
        String text = (message == null ? body.strip() : message).replaceAll("\\s+", " ");
        text = SECRET.matcher(LONG_QUOTE.matcher(text).replaceAll("$1…$1")).replaceAll("$1…");
        return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS) + "…";
    }

    private static String fromJson(String body) {
        if (!body.startsWith("{")) {
            return null;
        }
        try {
            JsonNode root = JSON.readTree(body);
            JsonNode error = root.path("error");
            if (error.isTextual()) {
                return error.asText();
            }
            for (JsonNode candidate : new JsonNode[] {error.path("message"), root.path("message"), root.path("detail")}) {
                if (candidate.isTextual() && !candidate.asText().isBlank()) {
                    return candidate.asText();
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
