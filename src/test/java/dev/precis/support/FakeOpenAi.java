package dev.precis.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.precis.chunking.JtokkitTokenCounter;
import dev.precis.chunking.TokenCounter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for an OpenAI-compatible chat completions endpoint, the one part that cannot be real
 * here. Like the real API it counts prompt tokens (with per-message overhead), rejects requests over
 * its context window with {@code context_length_exceeded}, reports usage, answers
 * {@code finish_reason=length} when the answer hits {@code max_tokens}, and can be told to answer
 * 429 (with Retry-After and an OpenAI-style "try again in" message) or 5xx.
 */
public final class FakeOpenAi implements AutoCloseable {

    /** Documents containing this word get answers longer than any output limit. */
    public static final String VERBOSE_MARKER = "VERBOSE-MARKER";
    private static final int TOKENS_PER_MESSAGE = 4;
    private static final int REPLY_PRIMING = 3;
    private static final Pattern MATERIAL = Pattern.compile("<(document|summaries|text)>\\n?(.*?)\\n?</\\1>", Pattern.DOTALL);
    private static final Pattern TARGET = Pattern.compile("BCP-47 tag (\\S+?)\\.");

    private final ObjectMapper json = new ObjectMapper();
    private final TokenCounter counter = JtokkitTokenCounter.forEncoding("o200k_base");
    private final int contextWindow;
    private final HttpServer server;
    private final Deque<int[]> scriptedFailures = new ConcurrentLinkedDeque<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile long latencyMillis;

    /** What the fake received and how it answered. */
    public record Request(long atNanos, int promptTokens, int maxTokens, int status, String userMessage) {
    }

    public FakeOpenAi(int contextWindow) throws IOException {
        this.contextWindow = contextWindow;
        this.server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/v1/chat/completions", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public String baseUrl() {
        return "http://localhost:" + server.getAddress().getPort() + "/v1";
    }

    public int contextWindow() {
        return contextWindow;
    }

    /** The next {@code times} requests get this HTTP status (429 carries a 1.5 s retry hint). */
    public void failNext(int status, int times) {
        for (int i = 0; i < times; i++) {
            scriptedFailures.add(new int[] {status});
        }
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Every answer waits this long first, like a real model. */
    public void latency(long millis) {
        latencyMillis = millis;
    }

    public void reset() {
        scriptedFailures.clear();
        requests.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = json.readTree(exchange.getRequestBody());
            int prompt = REPLY_PRIMING;
            String user = "";
            for (JsonNode m : body.path("messages")) {
                prompt += TOKENS_PER_MESSAGE + counter.count(m.path("content").asText());
                if (m.path("role").asText().equals("user")) {
                    user = m.path("content").asText();
                }
            }
            int maxTokens = body.path("max_completion_tokens").asInt(body.path("max_tokens").asInt(0));
            int[] failure = scriptedFailures.poll();
            if (failure != null) {
                record(prompt, maxTokens, failure[0], user);
                fail(exchange, failure[0]);
                return;
            }
            if (maxTokens <= 0 || prompt + maxTokens > contextWindow) {
                record(prompt, maxTokens, 400, user);
                send(exchange, 400, error("This model's maximum context length is " + contextWindow
                        + " tokens. However, you requested " + (prompt + maxTokens) + " tokens (" + prompt
                        + " in the messages, " + maxTokens + " in the completion).",
                        "invalid_request_error", "context_length_exceeded"));
                return;
            }
            record(prompt, maxTokens, 200, user);
            if (latencyMillis > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(latencyMillis * 1_000_000);
            }
            send(exchange, 200, completion(body, prompt, maxTokens, user));
        }
    }

    private void record(int prompt, int maxTokens, int status, String user) {
        requests.add(new Request(System.nanoTime(), prompt, maxTokens, status, user));
    }

    /** A deterministic "summary": the first words of the material, or a translation-looking echo. */
    private byte[] completion(JsonNode body, int prompt, int maxTokens, String user) throws IOException {
        Matcher m = MATERIAL.matcher(user);
        String material = m.find() ? m.group(2) : user;
        String system = body.path("messages").path(0).path("content").asText();
        Matcher target = TARGET.matcher(system);
        List<String> words = Arrays.asList(material.strip().split("\\s+"));
        if (words.stream().anyMatch(w -> w.length() > 30)) {
            // Unspaced scripts (Japanese, Chinese): answer in short runs of characters instead of words.
            words = Arrays.asList(material.strip().replaceAll("\\s+", "").split("(?<=\\G.{4})"));
        }
        boolean verbose = material.contains(VERBOSE_MARKER);
        int wanted = verbose ? Integer.MAX_VALUE : Math.max(5, maxTokens / 3);
        StringBuilder answer = new StringBuilder(target.find() ? "[" + target.group(1) + "] " : "");
        int i = 0;
        while (counter.count(answer + " " + words.get(i % words.size())) <= Math.min(maxTokens, wanted)
                && (verbose || i < words.size())) {
            answer.append(i == 0 ? "" : " ").append(words.get(i % words.size()));
            i++;
        }
        String text = answer.toString().strip();
        int completion = counter.count(text);
        boolean cut = verbose || (completion >= maxTokens);
        ObjectNode out = json.createObjectNode();
        out.put("id", "chatcmpl-fake").put("object", "chat.completion").put("model", body.path("model").asText());
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", cut ? "length" : "stop");
        choice.putObject("message").put("role", "assistant").put("content", text);
        out.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
        return json.writeValueAsBytes(out);
    }

    private void fail(HttpExchange exchange, int status) throws IOException {
        if (status == 429) {
            exchange.getResponseHeaders().add("Retry-After", "2");
            exchange.getResponseHeaders().add("retry-after-ms", "1500");
            send(exchange, 429, error("Rate limit reached for requests per min. Please try again in 1.5s.",
                    "requests", "rate_limit_exceeded"));
        } else {
            send(exchange, status, error("The server had an error while processing your request.", "server_error", null));
        }
    }

    private byte[] error(String message, String type, String code) throws IOException {
        ObjectNode out = json.createObjectNode();
        ObjectNode err = out.putObject("error").put("message", message).put("type", type);
        if (code == null) {
            err.putNull("code");
        } else {
            err.put("code", code);
        }
        return json.writeValueAsBytes(out);
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
