package dev.precis.support.servers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;

/**
 * vLLM's OpenAI-compatible server as its source describes it: {@code /v1/models} gives
 * {@code max_model_len}; {@code /tokenize} counts messages with the chat template; a request whose
 * prompt plus {@code max_tokens} is over {@code max_model_len} is refused with 400 in the wording of
 * the chosen generation of vLLM.
 */
public final class FakeVllm extends FakeOpenModelServer {

    /** Error wordings of successive vLLM generations. */
    public enum Wording { OLD, MIDDLE, NEW }

    private final int maxModelLen;
    private final Wording wording;
    private volatile boolean discoverable = true;

    public FakeVllm(String model, int maxModelLen, Wording wording, ServerTokenizer tokenizer) throws IOException {
        super(model, tokenizer);
        this.maxModelLen = maxModelLen;
        this.wording = wording;
    }

    /** Answers 404 on {@code /v1/models} and {@code /tokenize}, like a proxy that passes only chat calls. */
    public FakeVllm hidden() {
        discoverable = false;
        return this;
    }

    @Override
    protected void routes(HttpServer server) {
        server.createContext("/v1/models", e -> serve(e, this::models));
        server.createContext("/tokenize", e -> serve(e, this::tokenize));
    }

    private void models(HttpExchange exchange) throws IOException {
        if (!discoverable) {
            send(exchange, 404, json.createObjectNode().put("detail", "Not Found"));
            return;
        }
        ObjectNode out = json.createObjectNode().put("object", "list");
        out.putArray("data").addObject().put("id", modelName).put("object", "model").put("created", 1764626400)
                .put("owned_by", "vllm").put("root", modelName).putNull("parent").put("max_model_len", maxModelLen);
        send(exchange, 200, out);
    }

    private void tokenize(HttpExchange exchange) throws IOException {
        if (!discoverable) {
            send(exchange, 404, json.createObjectNode().put("detail", "Not Found"));
            return;
        }
        JsonNode body = body(exchange);
        String[] messages = messages(body);
        int n = body.has("messages") ? templateTokens(messages[0], messages[1])
                : tokenizer.count(body.path("prompt").asText());
        ObjectNode out = json.createObjectNode().put("count", n).put("max_model_len", maxModelLen);
        ArrayNode ids = out.putArray("tokens");
        for (int i = 0; i < n; i++) {
            ids.add(100 + i % 150000);
        }
        send(exchange, 200, out);
    }

    @Override
    protected void chat(HttpExchange exchange, ChatRequest r) throws IOException {
        if (!r.model().equals(modelName)) {
            ObjectNode out = json.createObjectNode().put("object", "error")
                    .put("message", "The model `" + r.model() + "` does not exist.").put("type", "NotFoundError")
                    .putNull("param").put("code", 404);
            refuse(exchange, r, 404, out);
            return;
        }
        int p = r.promptTokens();
        int m = r.maxTokens();
        if (p + m <= maxModelLen && p < maxModelLen) {
            complete(exchange, r, r.user(), p, Outcome.WHOLE, maxModelLen - p);
            return;
        }
        refuse(exchange, r, 400, switch (wording) {
            case OLD -> json.createObjectNode().put("object", "error").put("message", "This model's maximum context length is "
                    + maxModelLen + " tokens. However, you requested " + (p + m) + " tokens (" + p + " in the messages, "
                    + m + " in the completion). Please reduce the length of the messages or completion.")
                    .put("type", "BadRequestError").putNull("param").put("code", 400);
            case MIDDLE -> nested(p >= maxModelLen
                    ? "This model's maximum context length is " + maxModelLen + " tokens. However, your request has " + p
                            + " input tokens. Please reduce the length of the input messages."
                    : "'max_tokens' or 'max_completion_tokens' is too large: " + m + ". This model's maximum context "
                            + "length is " + maxModelLen + " tokens and your request has " + p + " input tokens (" + m
                            + " > " + maxModelLen + " - " + p + ").", p >= maxModelLen ? "input_tokens" : "max_tokens");
            case NEW -> nested("You passed " + p + " input tokens and requested " + m + " output tokens. However, the "
                    + "model's context length is only " + maxModelLen + " tokens, resulting in a maximum input length of "
                    + (maxModelLen - m) + " tokens. Please reduce the length of the input prompt. (parameter=input_tokens, "
                    + "value=" + p + ")", "input_tokens");
        });
    }

    private ObjectNode nested(String message, String param) {
        ObjectNode out = json.createObjectNode();
        out.putObject("error").put("message", message).put("type", "BadRequestError").put("param", param).put("code", 400);
        return out;
    }
}
