package dev.precis.llm.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.precis.llm.LlmCall;
import dev.precis.llm.LlmException;
import dev.precis.llm.LlmReply;

/**
 * The body of an OpenAI chat completion, asked for and read the same way online and in a batch
 * file: a system and a user message, {@code max_tokens} (the name every OpenAI-compatible server
 * reads: vLLM, llama.cpp, Ollama, LM Studio), the temperature when one is set; and the answer's
 * text, usage (cached tokens included), and finish reason.
 */
public final class ChatCompletions {

    static final ObjectMapper JSON = new ObjectMapper();

    private ChatCompletions() {
    }

    /** The request body; {@code stream} asks for server-sent events with the usage in the last one. */
    static ObjectNode request(String model, Double temperature, LlmCall call, boolean stream) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        var messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", call.system());
        messages.addObject().put("role", "user").put("content", call.user());
        body.put("max_tokens", call.maxOutputTokens());
        if (temperature != null) {
            body.put("temperature", temperature);
        }
        if (stream) {
            body.put("stream", true);
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    /** A complete answer's body read as a reply; a content filter or an empty answer fails with what it spent. */
    static LlmReply reply(JsonNode body) {
        JsonNode choice = body.path("choices").path(0);
        return reply(choice.path("message").path("content").asText(""), choice.path("finish_reason").asText(""),
                body.path("usage"));
    }

    /** The reply made of an answer's text, its finish reason and its usage object. */
    static LlmReply reply(String text, String finish, JsonNode usage) {
        LlmReply reply = new LlmReply(text, usage.path("prompt_tokens").asInt(0), usage.path("completion_tokens").asInt(0),
                finish.equals("length"), usage.path("prompt_tokens_details").path("cached_tokens").asInt(0));
        if (finish.equals("content_filter")) {
            throw new LlmException(LlmException.Kind.CONTENT_FILTERED, "The provider's content filter stopped the answer")
                    .spent(reply);
        }
        if (text.isBlank()) {
            throw new LlmException(LlmException.Kind.UNAVAILABLE, "The model returned an empty answer").spent(reply);
        }
        return reply;
    }
}
