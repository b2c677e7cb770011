package dev.precis.llm.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.llm.ContextRefusal;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a server's error body as a {@link ContextRefusal} when it says the request is over the
 * context window. Understands OpenAI's {@code context_length_exceeded}, llama.cpp's
 * {@code exceed_context_size_error} ({@code n_prompt_tokens}, {@code n_ctx}), vLLM's wordings of
 * every generation ("maximum context length is C tokens. However, you requested … (P in the
 * messages …)", "your request has P input tokens", "You passed P input tokens … context length is
 * only C tokens"), Ollama's "input length exceeds the context length" and "prompt is longer than
 * the context length", and LM Studio's.
 */
public final class WindowRefusal {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern[] WINDOW = {
        Pattern.compile("maximum context length is (\\d+)"),
        Pattern.compile("context length is only (\\d+)"),
        Pattern.compile("available context size \\((\\d+) tokens\\)"),
        Pattern.compile("max context size \\((\\d+) tokens\\)"),
        Pattern.compile("context length of only (\\d+)"),
    };
    private static final Pattern[] PROMPT = {
        Pattern.compile("\\((\\d+) in the messages"),
        Pattern.compile("you requested (\\d+) tokens in the messages"),
        Pattern.compile("your request has (\\d+) input tokens"),
        Pattern.compile("you passed (\\d+) input tokens"),
        Pattern.compile("your messages resulted in (\\d+) tokens"),
        Pattern.compile("request \\((\\d+) tokens\\) exceeds"),
        Pattern.compile("input \\((\\d+) tokens\\) is larger"),
    };
    private static final String[] MARKERS = {
        "context_length_exceeded", "maximum context length", "exceed_context_size_error",
        "exceeds the available context size", "context length is only", "input length exceeds the context length",
        "input length exceeds maximum context length", "longer than the context length", "context length of only",
        "exceeds maximum context length", "larger than the max context size",
    };

    private WindowRefusal() {
    }

    /** The refusal in {@code body}, or empty when the body does not say the request was too long. */
    public static Optional<ContextRefusal> parse(String body) {
        if (body == null) {
            return Optional.empty();
        }
        String lower = body.toLowerCase(Locale.ROOT);
        boolean tooLong = false;
        for (String marker : MARKERS) {
            tooLong |= lower.contains(marker);
        }
        if (!tooLong) {
            return Optional.empty();
        }
        int window = first(WINDOW, lower);
        int prompt = first(PROMPT, lower);
        JsonNode fields = jsonError(body);
        if (fields != null) {
            window = fields.path("n_ctx").asInt(window);
            prompt = fields.path("n_prompt_tokens").asInt(prompt);
        }
        return Optional.of(new ContextRefusal(window, prompt, ServerMessage.of(body)));
    }

    private static int first(Pattern[] patterns, String text) {
        for (Pattern p : patterns) {
            Matcher m = p.matcher(text);
            if (m.find()) {
                try {
                    return Integer.parseInt(m.group(1));
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static JsonNode jsonError(String body) {
        String s = body.strip();
        if (!s.startsWith("{")) {
            return null;
        }
        try {
            JsonNode root = JSON.readTree(s);
            return root.path("error").isObject() ? root.path("error") : root;
        } catch (IOException e) {
            return null;
        }
    }
}
