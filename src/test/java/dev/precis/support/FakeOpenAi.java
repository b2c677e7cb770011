package dev.precis.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.precis.chunking.JtokkitTokenCounter;
import dev.precis.chunking.TokenCounter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
    private final FakeFaults faults = new FakeFaults();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile long latencyMillis;
    private volatile long chunkDelayMillis;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger mostInFlight = new java.util.concurrent.atomic.AtomicInteger();
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
        server.createContext("/gemini/models/", new FakeGemini(this)::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** Tokens of {@code text} as the fake counts them. */
    int count(String text) {
        return counter.count(text);
    }

    /** The next scripted failure ({status, ...}), or null. */
    int[] nextFailure() {
        return faults.next();
    }

    FakeAnswers answers() {
        return answers;
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
        faults.failNext(status, times);
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
        faults.throttleNext(times, retryAfterSeconds);
    }

    /** The next {@code times} requests take {@code millis} before answering (a stalled server). */
    public void stallNext(int times, long millis) {
        faults.stallNext(times, millis);
    }

    /** Refuses every request: "insufficient_quota" (429) or "invalid_api_key" (401); null accepts again. */
    public void refuseAccount(String code) {
        faults.refuseAccount(code);
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
        faults.unavailableFor(marker, window);
    }

    public void reset() {
        faults.reset();
        mostInFlight.set(0);
        requests.clear();
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
            final int p = prompt;
            final String u = user;
            final String sys = system;
            if (faults.answered(exchange, user, status -> record(p, maxTokens, status, u, sys, 0, 0))) {
                return;
            }
            if (maxTokens <= 0 || prompt + maxTokens > contextWindow) {
                record(prompt, maxTokens, 400, user, system, 0, 0);
                FakeHttp.send(exchange, 400, FakeHttp.openAiError("This model's maximum context length is " + contextWindow
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
                FakeHttp.send(exchange, 429, FakeHttp.openAiError("Rate limit reached for " + body.path("model").asText()
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
            FakeHttp.send(exchange, 200, answer.body());
        }
    }

    /** Base URL of the Gemini-style endpoint ({@code models/MODEL:generateContent}) of this fake. */
    public String geminiBaseUrl() {
        return "http://localhost:" + server.getAddress().getPort() + "/gemini";
    }

    void record(int prompt, int maxTokens, int status, String user, String system, int tokens, int used) {
        requests.add(new Request(System.nanoTime(), prompt, maxTokens, status, user, system, tokens, used));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
