package dev.precis.llm.provider;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.llm.LlmCall;
import dev.precis.llm.LlmException;
import dev.precis.llm.LlmReply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

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
    static byte[] request(String model, Double temperature, LlmCall call, boolean stream) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(call.system().length() + call.user().length() + 256);
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            write(json, model, temperature, call, stream);
        } catch (IOException e) {
            throw new UncheckedIOException("A chat request could not be written as JSON", e);
        }
        return out.toByteArray();
    }

    /** Writes the request body as the next value of {@code json}: straight to bytes, no tree. */
    static void write(JsonGenerator json, String model, Double temperature, LlmCall call, boolean stream)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("model", model);
        json.writeArrayFieldStart("messages");
        message(json, "system", call.system());
        message(json, "user", call.user());
        json.writeEndArray();
        json.writeNumberField("max_tokens", call.maxOutputTokens());
        if (temperature != null) {
            json.writeNumberField("temperature", temperature);
        }
        if (stream) {
            json.writeBooleanField("stream", true);
            json.writeObjectFieldStart("stream_options");
            json.writeBooleanField("include_usage", true);
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    private static void message(JsonGenerator json, String role, String content) throws IOException {
        json.writeStartObject();
        json.writeStringField("role", role);
        json.writeStringField("content", content);
        json.writeEndObject();
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
