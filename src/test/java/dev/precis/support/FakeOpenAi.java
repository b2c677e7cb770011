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
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;

/**
 * A stand-in for an OpenAI-compatible chat completions endpoint, the one part that cannot be real
 * here. Like the real API it counts prompt tokens (with per-message overhead), rejects requests over
 * its context window with {@code context_length_exceeded}, reports usage, answers
 * {@code finish_reason=length} when the answer hits {@code max_tokens}, and can be told to answer
 * 429 (with Retry-After and an OpenAI-style "try again in" message) or 5xx. It can also enforce a
 * tokens-per-minute limit as a bucket charged with prompt plus max_tokens at arrival (429 with
 * Retry-After and x-ratelimit-* headers),
 * refuse the account (insufficient_quota, invalid key), stop answers with its content filter
 * ({@link #FILTER_MARKER}) and stall like a hung server.
 */
public final class FakeOpenAi implements AutoCloseable {

    /** Documents containing this word get answers longer than any output limit. */
    public static final String VERBOSE_MARKER = "VERBOSE-MARKER";
    /** Documents containing this word are stopped by the content filter. */
    public static final String FILTER_MARKER = "FILTER-MARKER";
    private static final int TOKENS_PER_MESSAGE = 4;
    private static final int REPLY_PRIMING = 3;

    private final ObjectMapper json = new ObjectMapper();
    private final FakeAnswers answers = new FakeAnswers();
    private final TokenCounter counter = JtokkitTokenCounter.forEncoding("o200k_base");
    private final int contextWindow;
    private final HttpServer server;
    private final Deque<int[]> scriptedFailures = new ConcurrentLinkedDeque<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile long latencyMillis;
    private volatile long chunkDelayMillis;
    private final Map<String, Long> marked = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Long> markedSince = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger mostInFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final Deque<Long> scriptedStalls = new ConcurrentLinkedDeque<>();
    private volatile String accountRefusal;
    private final FakeTokenBucket bucket = new FakeTokenBucket();

    /**
     * What the fake received and how it answered; {@code tokens} is what it charged against its
     * limit, {@code usedTokens} what its answer's usage reports (prompt + completion; 0 for a refusal).
     */
    public record Request(long atNanos, int promptTokens, int maxTokens, int status, String userMessage,
            String systemMessage, int tokens, int usedTokens) {
    }

    public FakeOpenAi(int contextWindow) throws IOException {
        this.contextWindow = contextWindow;
        this.server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/v1/chat/completions", this::handle);
        server.createContext("/gemini/models/", this::handleGemini);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** Serves more endpoints under the same base URL (the fake Batch API). */
    void mount(String path, com.sun.net.httpserver.HttpHandler handler) {
        server.createContext(path, handler);
    }

    /** Prompt tokens of a chat request as the fake counts them: each message's text, 4 per message, 3 to prime. */
    int promptTokens(JsonNode body) {
        int prompt = REPLY_PRIMING;
        for (JsonNode m : body.path("messages")) {
            prompt += TOKENS_PER_MESSAGE + counter.count(m.path("content").asText());
        }
        return prompt;
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
    /** Between the pieces of a streamed answer (the latency above comes before its first piece). */
    public void chunkDelay(long millis) {
        chunkDelayMillis = millis;
    }

    public void latency(long millis) {
        latencyMillis = millis;
    }

    /** The next {@code times} requests are throttled with nothing but a {@code Retry-After} header. */
    public void throttleNext(int times, int retryAfterSeconds) {
        for (int i = 0; i < times; i++) {
            scriptedFailures.add(new int[] {429, retryAfterSeconds});
        }
    }

    /** The next {@code times} requests take {@code millis} before answering (a stalled server). */
    public void stallNext(int times, long millis) {
        for (int i = 0; i < times; i++) {
            scriptedStalls.add(millis);
        }
    }

    /** Refuses every request: "insufficient_quota" (429) or "invalid_api_key" (401); null accepts again. */
    public void refuseAccount(String code) {
        accountRefusal = code;
    }

    /**
     * Enforces a tokens-per-minute limit the way OpenAI describes it: a bucket holding a minute's
     * tokens, refilled continuously, charged when a request arrives with its prompt plus the
     * output cap it asks for ({@code max_tokens}), whatever the answer then uses. 0 = no limit.
     */
    public void tokensPerMinute(long limit) {
        tokensPerMinute(limit, java.time.Duration.ofMinutes(1));
    }

    /** The same, with a bucket that holds only {@code burst}'s share of a minute's tokens. */
    public void tokensPerMinute(long limit, java.time.Duration burst) {
        bucket.limit(limit, burst);
    }

    /** Most answered requests that were being worked on at once since the last reset. */
    /** Requests being answered right now. */
    public int inFlight() {
        return inFlight.get();
    }

    public int mostInFlight() {
        return mostInFlight.get();
    }

    /**
     * Answers 503 to every request whose user message contains {@code marker}, for {@code window}
     * from the first such request (a provider outage as that document sees it).
     */
    public void unavailableFor(String marker, java.time.Duration window) {
        marked.put(marker, window.toNanos());
        markedSince.remove(marker);
    }

    public void reset() {
        marked.clear();
        markedSince.clear();
        mostInFlight.set(0);
        scriptedFailures.clear();
        scriptedStalls.clear();
        requests.clear();
        accountRefusal = null;
        latencyMillis = 0;
        chunkDelayMillis = 0;
        tokensPerMinute(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        try (exchange) {
            JsonNode body = json.readTree(exchange.getRequestBody());
            int prompt = REPLY_PRIMING;
            String user = "";
            String system = "";
            for (JsonNode m : body.path("messages")) {
                prompt += TOKENS_PER_MESSAGE + counter.count(m.path("content").asText());
                if (m.path("role").asText().equals("user")) {
                    user = m.path("content").asText();
                } else if (m.path("role").asText().equals("system")) {
                    system = m.path("content").asText();
                }
            }
            int maxTokens = body.path("max_completion_tokens").asInt(body.path("max_tokens").asInt(0));
            String refusal = accountRefusal;
            if (refusal != null) {
                record(prompt, maxTokens, refusal.equals("insufficient_quota") ? 429 : 401, user, system, 0, 0);
                refuse(exchange, refusal);
                return;
            }
            int[] failure = scriptedFailures.poll();
            if (failure != null) {
                record(prompt, maxTokens, failure[0], user, system, 0, 0);
                if (failure.length > 1) {
                    exchange.getResponseHeaders().add("Retry-After", Integer.toString(failure[1]));
                    send(exchange, 429, error("Too many requests.", "requests", "rate_limit_exceeded"));
                    return;
                }
                fail(exchange, failure[0]);
                return;
            }
            for (var m : marked.entrySet()) {
                long since = user.contains(m.getKey()) ? markedSince.computeIfAbsent(m.getKey(), k -> System.nanoTime()) : 0;
                if (user.contains(m.getKey()) && System.nanoTime() - since < m.getValue()) {
                    record(prompt, maxTokens, 503, user, system, 0, 0);
                    fail(exchange, 503);
                    return;
                }
            }
            Long stall = scriptedStalls.poll();
            if (stall != null) {
                // A hung server: recorded as 408, then it hangs up without an answer.
                record(prompt, maxTokens, 408, user, system, 0, 0);
                java.util.concurrent.locks.LockSupport.parkNanos(stall * 1_000_000);
                return;
            }
            if (maxTokens <= 0 || prompt + maxTokens > contextWindow) {
                record(prompt, maxTokens, 400, user, system, 0, 0);
                send(exchange, 400, error("This model's maximum context length is " + contextWindow
                        + " tokens. However, you requested " + (prompt + maxTokens) + " tokens (" + prompt
                        + " in the messages, " + maxTokens + " in the completion).",
                        "invalid_request_error", "context_length_exceeded"));
                return;
            }
            long retryAfterMillis = bucket.admit(prompt + maxTokens);
            if (retryAfterMillis > 0) {
                record(prompt, maxTokens, 429, user, system, 0, 0);
                exchange.getResponseHeaders().add("Retry-After", Long.toString((retryAfterMillis + 999) / 1000));
                exchange.getResponseHeaders().add("retry-after-ms", Long.toString(retryAfterMillis));
                bucket.headers(exchange.getResponseHeaders());
                // OpenAI's wording, which names what the request was charged.
                send(exchange, 429, error("Rate limit reached for " + body.path("model").asText()
                        + " in organization org-fake on tokens per min (TPM): Limit " + bucket.perMinute() + ", Used "
                        + bucket.used() + ", Requested " + (prompt + maxTokens) + ". Please try again in " + retryAfterMillis
                        + "ms. Visit https://platform.openai.com/account/rate-limits to learn more.", "tokens",
                        "rate_limit_exceeded"));
                return;
            }
            // As at the provider, the headers describe the limit as it stood once this request was charged.
            bucket.headers(exchange.getResponseHeaders());
            FakeAnswers.Answer answer = answers.completion(body, prompt, maxTokens, user);
            record(prompt, maxTokens, 200, user, system, bucket.perMinute() > 0 ? prompt + maxTokens : 0,
                    prompt + answer.completionTokens());
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                // The latency counts from arrival, so the fake's own work does not add to it.
                long wait = arrived + latencyMillis * 1_000_000 - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
            } finally {
                inFlight.decrementAndGet();
            }
            if (body.path("stream").asBoolean(false)) {
                FakeStream.send(exchange, body, answer.body(), chunkDelayMillis);
                return;
            }
            send(exchange, 200, answer.body());
        }
    }

    /** Base URL of the Gemini-style endpoint ({@code models/MODEL:generateContent}) of this fake. */
    public String geminiBaseUrl() {
        return "http://localhost:" + server.getAddress().getPort() + "/gemini";
    }

    /**
     * A Gemini {@code generateContent} endpoint: same counting and answers as the OpenAI one, in
     * Gemini's shapes (systemInstruction, contents, usageMetadata, finishReason, RESOURCE_EXHAUSTED).
     */
    private void handleGemini(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = json.readTree(exchange.getRequestBody());
            String system = body.path("systemInstruction").path("parts").path(0).path("text").asText("");
            StringBuilder user = new StringBuilder();
            for (JsonNode c : body.path("contents")) {
                for (JsonNode part : c.path("parts")) {
                    user.append(part.path("text").asText(""));
                }
            }
            int prompt = counter.count(system) + counter.count(user.toString());
            int maxTokens = body.path("generationConfig").path("maxOutputTokens").asInt(0);
            int[] failure = scriptedFailures.poll();
            if (failure != null && failure[0] == 429) {
                record(prompt, maxTokens, 429, user.toString(), system, 0, 0);
                ObjectNode err = json.createObjectNode();
                ObjectNode e = err.putObject("error").put("code", 429).put("status", "RESOURCE_EXHAUSTED")
                        .put("message", "Resource has been exhausted (e.g. check quota).");
                e.putArray("details").addObject().put("@type", "type.googleapis.com/google.rpc.RetryInfo")
                        .put("retryDelay", "2s");
                send(exchange, 429, json.writeValueAsBytes(err));
                return;
            }
            ObjectNode openAiStyle = json.createObjectNode();
            openAiStyle.putArray("messages").addObject().put("role", "system").put("content", system);
            FakeAnswers.Answer answer = answers.completion(openAiStyle, prompt, maxTokens, user.toString());
            String text = json.readTree(answer.body()).path("choices").path(0).path("message").path("content").asText();
            record(prompt, maxTokens, 200, user.toString(), system, prompt + answer.completionTokens(),
                    prompt + answer.completionTokens());
            ObjectNode out = json.createObjectNode();
            ObjectNode candidate = out.putArray("candidates").addObject();
            candidate.putObject("content").put("role", "model").putArray("parts").addObject().put("text", text);
            candidate.put("finishReason", answer.completionTokens() >= maxTokens ? "MAX_TOKENS" : "STOP");
            out.putObject("usageMetadata").put("promptTokenCount", prompt)
                    .put("candidatesTokenCount", answer.completionTokens())
                    .put("totalTokenCount", prompt + answer.completionTokens());
            send(exchange, 200, json.writeValueAsBytes(out));
        }
    }

    private void record(int prompt, int maxTokens, int status, String user, String system, int tokens, int used) {
        requests.add(new Request(System.nanoTime(), prompt, maxTokens, status, user, system, tokens, used));
    }

    private void refuse(HttpExchange exchange, String code) throws IOException {
        if (code.equals("insufficient_quota")) {
            send(exchange, 429, error("You exceeded your current quota, please check your plan and billing details.",
                    "insufficient_quota", "insufficient_quota"));
        } else {
            send(exchange, 401, error("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"));
        }
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
