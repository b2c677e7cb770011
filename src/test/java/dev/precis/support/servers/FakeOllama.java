package dev.precis.support.servers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;

/**
 * Ollama as its source describes it. Its OpenAI-compatible endpoint takes no {@code num_ctx}: the
 * model runs with the server's window ({@code OLLAMA_CONTEXT_LENGTH}, 4096 by default, or a
 * Modelfile's {@code num_ctx}). A prompt over that window is cut silently: the head is dropped, the
 * first {@code num_keep} tokens and the last part kept, {@code numCtx - (numCtx - numKeep) / 2}
 * tokens in all (about half the window, as llama-server-based versions do), and the answer is 200
 * with {@code prompt_tokens} = what was kept. With context shift off it refuses with 400 instead.
 * {@code /api/ps} lists the loaded model with its {@code context_length}; {@code /api/show} gives the
 * Modelfile's parameters and the trained length; {@code /api/generate} with only a model loads it.
 */
public final class FakeOllama extends FakeOpenModelServer {

    private static final int NUM_KEEP = 4;

    private final int numCtx;
    private final int trained;
    private volatile boolean contextShift = true;
    private volatile boolean reportsContextLength = true;
    private volatile boolean keepsWholeWindow;
    private volatile boolean loaded;

    public FakeOllama(String model, int numCtx, int trained, ServerTokenizer tokenizer) throws IOException {
        super(model, tokenizer);
        this.numCtx = numCtx;
        this.trained = trained;
    }

    /** Refuse over-long prompts with 400, as with the runner's context shift turned off. */
    public FakeOllama withoutContextShift() {
        contextShift = false;
        return this;
    }

    /** Keeps exactly {@code numCtx} tokens of an over-long prompt, as runners before llama-server did. */
    public FakeOllama keepingTheWholeWindow() {
        keepsWholeWindow = true;
        return this;
    }

    /** {@code /api/ps} without {@code context_length}, as before Ollama 0.10. */
    public FakeOllama beforeContextLength() {
        reportsContextLength = false;
        return this;
    }

    @Override
    protected void routes(HttpServer server) {
        server.createContext("/api/ps", e -> serve(e, this::ps));
        server.createContext("/api/show", e -> serve(e, this::show));
        server.createContext("/api/generate", e -> serve(e, this::generate));
        server.createContext("/api/version", e -> serve(e, x -> send(x, 200, json.createObjectNode().put("version", "0.30.1"))));
    }

    private void ps(HttpExchange exchange) throws IOException {
        ObjectNode out = json.createObjectNode();
        var models = out.putArray("models");
        if (loaded) {
            ObjectNode m = models.addObject().put("name", modelName).put("model", modelName).put("size", 6_654_289_920L)
                    .put("digest", "46e0c10c039e").put("expires_at", "2026-12-01T23:00:00Z").put("size_vram", 6_654_289_920L)
                    .put("context_length", numCtx);
            if (!reportsContextLength) {
                m.remove("context_length");
            }
            m.putObject("details").put("format", "gguf").put("family", "llama").put("parameter_size", "8.0B")
                    .put("quantization_level", "Q4_K_M");
        }
        send(exchange, 200, out);
    }

    private void show(HttpExchange exchange) throws IOException {
        String name = body(exchange).path("model").asText();
        if (!name.equals(modelName) && !(name + ":latest").equals(modelName)) {
            send(exchange, 404, json.createObjectNode().put("error", "model '" + name + "' not found"));
            return;
        }
        ObjectNode out = json.createObjectNode()
                .put("parameters", "num_keep                       24\nstop                           \"<|eot_id|>\"")
                .put("template", "{{ .Prompt }}");
        out.putObject("model_info").put("general.architecture", "llama").put("llama.context_length", trained);
        send(exchange, 200, out);
    }

    private void generate(HttpExchange exchange) throws IOException {
        String name = body(exchange).path("model").asText();
        loaded |= name.equals(modelName);
        send(exchange, 200, json.createObjectNode().put("model", name).put("created_at", "2026-12-01T22:00:00Z")
                .put("response", "").put("done", true).put("done_reason", "load"));
    }

    @Override
    protected void chat(HttpExchange exchange, ChatRequest r) throws IOException {
        loaded = true;
        if (r.promptTokens() <= numCtx) {
            complete(exchange, r, r.user(), r.promptTokens(), Outcome.WHOLE, numCtx - r.promptTokens());
            return;
        }
        if (!contextShift) {
            ObjectNode out = json.createObjectNode();
            out.putObject("error").put("message", "the prompt is longer than the context length currently available "
                    + "to the model; shorten the prompt, adjust the context length in settings, or use a model with a "
                    + "longer context length").put("type", "invalid_request_error").putNull("param").putNull("code");
            refuse(exchange, r, 400, out);
            return;
        }
        int kept = keepsWholeWindow ? numCtx : numCtx - Math.max((numCtx - NUM_KEEP) / 2, 1);
        complete(exchange, r, tail(r.user(), kept, r.promptTokens()), kept, Outcome.TRUNCATED, numCtx - kept);
    }
}
