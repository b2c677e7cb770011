package dev.precis.llm.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.precis.llm.ModelServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Asks the server behind an OpenAI-compatible base URL what window it really serves, through the
 * endpoints open-model servers have beside {@code /v1}: vLLM's {@code /v1/models}
 * ({@code max_model_len}), llama.cpp's {@code /v1/models} and {@code /props} ({@code n_ctx} per
 * slot), Ollama's {@code /api/ps} ({@code context_length} of the loaded model; the model is loaded
 * first when it is not) and {@code /api/show}, LM Studio's {@code /api/v0/models}; and, for vLLM and
 * llama.cpp, counts prompts with the server's own {@code /tokenize}.
 */
public final class OpenAiCompatibleServer implements ModelServer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ASK = Duration.ofSeconds(5);

    private enum Kind { VLLM, LLAMA_CPP, OLLAMA, LM_STUDIO, UNKNOWN }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(ASK).build();
    private final String base;
    private final String root;
    private final String model;
    private final String apiKey;
    private final Duration loadTimeout;
    private volatile Kind kind = Kind.UNKNOWN;

    public OpenAiCompatibleServer(String baseUrl, String model, String apiKey, Duration loadTimeout) {
        this.base = baseUrl.replaceAll("/+$", "");
        this.root = base.replaceAll("/v1$", "");
        this.model = model;
        this.apiKey = apiKey;
        this.loadTimeout = loadTimeout;
    }

    /** True for the public endpoints of OpenAI and Google, whose windows are in the built-in profiles. */
    public static boolean isPublicProvider(String baseUrl) {
        String host = String.valueOf(URI.create(baseUrl).getHost());
        return host.endsWith("openai.com") || host.endsWith("googleapis.com") || host.endsWith("azure.com");
    }

    @Override
    public Optional<ModelServer.Discovered> discover() {
        Optional<ModelServer.Discovered> found = fromModels();
        if (found.isEmpty()) {
            found = fromProps();
        }
        if (found.isEmpty()) {
            found = fromOllama();
        }
        if (found.isEmpty()) {
            found = fromLmStudio();
        }
        return found;
    }

    @Override
    public int count(String system, String user) {
        try {
            if (kind == Kind.VLLM) {
                ObjectNode body = JSON.createObjectNode().put("model", model);
                body.putArray("messages").add(message("system", system)).add(message("user", user));
                JsonNode r = post(root + "/tokenize", body, ASK);
                return r == null ? -1 : r.path("count").asInt(r.path("tokens").size());
            }
            if (kind == Kind.LLAMA_CPP) {
                JsonNode r = post(root + "/tokenize", JSON.createObjectNode().put("content", system + "\n\n" + user), ASK);
                return r == null || !r.path("tokens").isArray() ? -1 : r.path("tokens").size();
            }
        } catch (RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private Optional<ModelServer.Discovered> fromModels() {
        JsonNode entry = pick(get(base + "/models").path("data"), "id");
        if (entry == null) {
            return Optional.empty();
        }
        int vllm = entry.path("max_model_len").asInt(0);
        if (vllm > 0) {
            kind = Kind.VLLM;
            return Optional.of(new ModelServer.Discovered("vLLM", vllm, 0, "max_model_len of " + entry.path("id").asText()));
        }
        JsonNode meta = entry.path("meta");
        if (meta.path("n_ctx").asInt(0) > 0) {
            kind = Kind.LLAMA_CPP;
            return Optional.of(new ModelServer.Discovered("llama.cpp server", meta.path("n_ctx").asInt(),
                    meta.path("n_ctx_train").asInt(0), "n_ctx per slot"));
        }
        return Optional.empty();
    }

    private Optional<ModelServer.Discovered> fromProps() {
        JsonNode props = get(root + "/props");
        int nCtx = props.path("default_generation_settings").path("n_ctx").asInt(props.path("n_ctx").asInt(0));
        if (nCtx <= 0) {
            return Optional.empty();
        }
        kind = Kind.LLAMA_CPP;
        return Optional.of(new ModelServer.Discovered("llama.cpp server", nCtx, 0,
                "n_ctx per slot, " + props.path("total_slots").asInt(1) + " slots"));
    }

    private Optional<ModelServer.Discovered> fromOllama() {
        JsonNode show = post(root + "/api/show", JSON.createObjectNode().put("model", model), ASK);
        JsonNode loaded = running();
        if (show == null && loaded == null) {
            return Optional.empty();
        }
        kind = Kind.OLLAMA;
        int trained = trained(show);
        if (loaded == null) {
            // Not loaded: an empty generate request loads it with the window the server will use.
            post(root + "/api/generate", JSON.createObjectNode().put("model", model).put("stream", false), loadTimeout);
            loaded = running();
        }
        if (loaded != null && loaded.path("context_length").asInt(0) > 0) {
            return Optional.of(new ModelServer.Discovered("Ollama", loaded.path("context_length").asInt(), trained,
                    "context_length of the loaded model (/api/ps)"));
        }
        int numCtx = numCtx(show);
        return numCtx > 0 ? Optional.of(new ModelServer.Discovered("Ollama", numCtx, trained, "num_ctx parameter"))
                : Optional.empty();
    }

    private Optional<ModelServer.Discovered> fromLmStudio() {
        JsonNode entry = pick(get(root + "/api/v0/models").path("data"), "id");
        if (entry == null) {
            return Optional.empty();
        }
        int loaded = entry.path("loaded_context_length").asInt(0);
        int max = entry.path("max_context_length").asInt(0);
        if (loaded <= 0 && max <= 0) {
            return Optional.empty();
        }
        kind = Kind.LM_STUDIO;
        return Optional.of(new ModelServer.Discovered("LM Studio", loaded > 0 ? loaded : max, max,
                loaded > 0 ? "loaded_context_length" : "max_context_length"));
    }

    private JsonNode running() {
        JsonNode ps = get(root + "/api/ps");
        JsonNode entry = pick(ps.path("models"), "name");
        return entry == null ? pick(ps.path("models"), "model") : entry;
    }

    /** The entry for this model (its name, or its name with Ollama's ":latest"), else the only entry. */
    private JsonNode pick(JsonNode list, String field) {
        if (!list.isArray() || list.isEmpty()) {
            return null;
        }
        for (JsonNode e : list) {
            String name = e.path(field).asText();
            if (name.equals(model) || name.equals(model + ":latest")) {
                return e;
            }
        }
        return list.size() == 1 && !field.equals("name") ? list.get(0) : null;
    }

    private static int trained(JsonNode show) {
        if (show == null) {
            return 0;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = show.path("model_info").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().endsWith(".context_length")) {
                return e.getValue().asInt(0);
            }
        }
        return 0;
    }

    private static int numCtx(JsonNode show) {
        if (show == null) {
            return 0;
        }
        for (String line : show.path("parameters").asText("").split("\n")) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length == 2 && parts[0].equals("num_ctx")) {
                try {
                    return Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    private static ObjectNode message(String role, String content) {
        return JSON.createObjectNode().put("role", role).put("content", content);
    }

    private JsonNode get(String url) {
        JsonNode r = send(request(url, ASK).GET().build());
        return r == null ? JSON.missingNode() : r;
    }

    private JsonNode post(String url, JsonNode body, Duration timeout) {
        return send(request(url, timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    private HttpRequest.Builder request(String url, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
        if (apiKey != null && !apiKey.isBlank()) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return b;
    }

    /** The JSON of a 2xx answer, or null for anything else (no such endpoint, not reachable, not JSON). */
    private JsonNode send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return r.statusCode() / 100 == 2 ? JSON.readTree(r.body()) : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
