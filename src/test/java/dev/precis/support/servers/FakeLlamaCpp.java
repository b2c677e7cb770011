package dev.precis.support.servers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;

/**
 * llama.cpp's server as its source describes it: {@code /props} gives {@code n_ctx} per slot under
 * {@code default_generation_settings}; {@code /v1/models} lists the model with its trained length;
 * {@code /tokenize} counts with the model's tokenizer; a prompt of {@code n_ctx} tokens or more is
 * refused with 400 {@code exceed_context_size_error} carrying {@code n_prompt_tokens} and
 * {@code n_ctx}; generation stops at the end of the slot's context.
 */
public final class FakeLlamaCpp extends FakeOpenModelServer {

    private final int nCtx;
    private final int trained;
    private volatile boolean hidden;

    public FakeLlamaCpp(String model, int nCtx, int trained, ServerTokenizer tokenizer) throws IOException {
        super(model, tokenizer);
        this.nCtx = nCtx;
        this.trained = trained;
    }

    /** Answers 404 beside the chat endpoint, like a proxy in front of the server. */
    public FakeLlamaCpp hidden() {
        hidden = true;
        return this;
    }

    @Override
    protected void routes(HttpServer server) {
        server.createContext("/props", e -> serve(e, x -> unlessHidden(x, this::props)));
        server.createContext("/v1/models", e -> serve(e, x -> unlessHidden(x, this::models)));
        server.createContext("/tokenize", e -> serve(e, x -> unlessHidden(x, this::tokenize)));
    }

    private void unlessHidden(HttpExchange exchange, Handler handler) throws IOException {
        if (hidden) {
            send(exchange, 404, json.createObjectNode().put("error", "File Not Found"));
        } else {
            handler.handle(exchange);
        }
    }

    private void props(HttpExchange exchange) throws IOException {
        ObjectNode out = json.createObjectNode();
        out.putObject("default_generation_settings").put("n_ctx", nCtx).putObject("params").put("n_predict", -1);
        out.put("total_slots", 1).put("model_path", "/models/" + modelName + ".gguf").put("build_info", "b6800");
        send(exchange, 200, out);
    }

    private void models(HttpExchange exchange) throws IOException {
        ObjectNode out = json.createObjectNode().put("object", "list");
        out.putArray("data").addObject().put("id", modelName).put("object", "model").put("owned_by", "llamacpp")
                .putObject("meta").put("vocab_type", 1).put("n_vocab", 32768).put("n_ctx_train", trained);
        send(exchange, 200, out);
    }

    private void tokenize(HttpExchange exchange) throws IOException {
        int n = tokenizer.count(body(exchange).path("content").asText());
        ObjectNode out = json.createObjectNode();
        ArrayNode ids = out.putArray("tokens");
        for (int i = 0; i < n; i++) {
            ids.add(1000 + i % 30000);
        }
        send(exchange, 200, out);
    }

    @Override
    protected void chat(HttpExchange exchange, ChatRequest r) throws IOException {
        if (r.promptTokens() >= nCtx) {
            ObjectNode out = json.createObjectNode();
            out.putObject("error").put("code", 400).put("message", "request (" + r.promptTokens()
                    + " tokens) exceeds the available context size (" + nCtx + " tokens), try increasing it")
                    .put("type", "exceed_context_size_error").put("n_prompt_tokens", r.promptTokens()).put("n_ctx", nCtx);
            refuse(exchange, r, 400, out);
            return;
        }
        complete(exchange, r, r.user(), r.promptTokens(), Outcome.WHOLE, nCtx - r.promptTokens());
    }
}
