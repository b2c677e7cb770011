package dev.precis.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.precis.llm.LlmCall;
import dev.precis.llm.LlmClient;
import dev.precis.llm.LlmException;
import dev.precis.llm.LlmReply;
import dev.precis.llm.ProviderSignals;
import dev.precis.llm.RetryHints;
import dev.precis.llm.provider.ProviderErrors;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A minimal OpenAI-compatible chat client on the JDK's HTTP client, for tools that run outside the
 * worker (the evaluation command); the worker itself uses the LangChain4j model configurations.
 */
public final class OpenAiHttpClient implements LlmClient {

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI endpoint;
    private final String model;
    private final String apiKey;

    public OpenAiHttpClient(String baseUrl, String model, String apiKey) {
        this.endpoint = URI.create(baseUrl.replaceAll("/+$", "") + "/chat/completions");
        this.model = model;
        this.apiKey = apiKey;
    }

    @Override
    public LlmReply complete(LlmCall call) {
        ObjectNode body = json.createObjectNode().put("model", model).put("max_tokens", call.maxOutputTokens())
                .put("temperature", 0.2);
        body.putArray("messages").add(json.createObjectNode().put("role", "system").put("content", call.system()))
                .add(json.createObjectNode().put("role", "user").put("content", call.user()));
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofMinutes(3))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (apiKey != null && !apiKey.isBlank()) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new LlmException(LlmException.Kind.UNAVAILABLE, "Cannot reach " + endpoint.getHost(), -1, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmException(LlmException.Kind.UNAVAILABLE, "Interrupted", -1, e);
        }
        return reply(response);
    }

    private LlmReply reply(HttpResponse<String> response) {
        int status = response.statusCode();
        ProviderSignals listening = ProviderSignals.current();
        if (listening != null) {
            listening.observe(status, name -> response.headers().firstValue(name).orElse(null));
        }
        if (status >= 400) {
            LlmException e = ProviderErrors.classify(status, response.body(), false, false, null, null);
            long wait = RetryHints.fromHeaders(response.headers().firstValue("retry-after-ms").orElse(null),
                    response.headers().firstValue("retry-after").orElse(null));
            return wait >= 0 && e.kind() == LlmException.Kind.RATE_LIMITED
                    ? throwing(new LlmException(e.kind(), e.getMessage(), wait, null)) : throwing(e);
        }
        try {
            JsonNode root = json.readTree(response.body());
            JsonNode choice = root.path("choices").path(0);
            String finish = choice.path("finish_reason").asText("");
            if (finish.equals("content_filter")) {
                throw new LlmException(LlmException.Kind.CONTENT_FILTERED, "Stopped by the content filter");
            }
            JsonNode usage = root.path("usage");
            return new LlmReply(choice.path("message").path("content").asText(""),
                    usage.path("prompt_tokens").asInt(), usage.path("completion_tokens").asInt(), finish.equals("length"));
        } catch (IOException e) {
            throw new LlmException(LlmException.Kind.UNAVAILABLE, "Unreadable answer", -1, e);
        }
    }

    private static LlmReply throwing(LlmException e) {
        throw e;
    }

    @Override
    public String model() {
        return model;
    }
}
