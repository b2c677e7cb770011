package dev.precis.llm.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.precis.llm.LlmCall;
import dev.precis.llm.LlmException;
import dev.precis.llm.LlmReply;
import dev.precis.llm.ProviderSignals;
import dev.precis.llm.TokenSink;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * précis' OpenAI-compatible client against a server that answers as OpenAI's API and the open
 * servers document it: errors carry the server's words, a stream that fails midway says why, a
 * server that ignores {@code stream} is read whole, the key goes only where it was given, and a
 * body that never ends is bounded by the timeout.
 */
class OpenAiChatTest {

    private HttpServer server;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    private String serve(int status, String contentType, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.getRequestBody().readAllBytes();
            reply(exchange, status, contentType, body);
        });
        server.start();
        return "http://localhost:" + server.getAddress().getPort() + "/v1";
    }

    private static void reply(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("x-ratelimit-remaining-tokens", "1234");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    private static OpenAiChat client(String url, String key, Duration timeout) {
        return new OpenAiChat(url, "fake-model", key, 0.2, timeout, request -> { });
    }

    private static LlmCall call(TokenSink sink) {
        return new LlmCall("summarize", "You summarize.", "A short text.", 100, -1, sink);
    }

    @Test
    void anAnswerIsReadWithItsUsageAndTheHeadersReachTheCallsListener() throws IOException {
        String url = serve(200, "application/json", """
                {"id":"chatcmpl-1","object":"chat.completion","model":"fake-model-2026-01-01","choices":[{"index":0,
                "message":{"role":"assistant","content":"The summary."},"finish_reason":"length"}],
                "usage":{"prompt_tokens":21,"completion_tokens":3,"prompt_tokens_details":{"cached_tokens":16}}}""");
        ProviderSignals signals = ProviderSignals.listen();
        try {
            LlmReply reply = client(url, "sk-secret", Duration.ofSeconds(5)).complete(call(TokenSink.NONE));
            assertEquals("The summary.", reply.text());
            assertEquals(21, reply.inputTokens());
            assertEquals(3, reply.outputTokens());
            assertEquals(16, reply.cachedTokens());
            assertTrue(reply.truncated(), "finish_reason=length is a truncated answer");
            assertEquals(200, signals.status());
        } finally {
            signals.stop();
        }
        assertEquals(List.of("Bearer sk-secret"), authorizations);
    }

    @Test
    void aRefusalCarriesTheServersOwnWords() throws IOException {
        String url = serve(400, "application/json", """
                {"error":{"message":"This model's maximum context length is 4096 tokens. However, you requested \
                5000 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""");
        LlmException e = assertThrows(LlmException.class,
                () -> client(url, null, Duration.ofSeconds(5)).complete(call(TokenSink.NONE)));
        assertEquals(LlmException.Kind.CONTEXT_LENGTH_EXCEEDED, e.kind());
        assertTrue(e.getMessage().contains("maximum context length is 4096 tokens"), e.getMessage());
        assertEquals(List.of("null"), authorizations, "no key configured, no Authorization header");
    }

    @Test
    void aStreamThatFailsMidwaySaysWhatTheServerSaid() throws IOException {
        String url = serve(200, "text/event-stream", """
                data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"The "}}]}

                data: {"error":{"message":"CUDA out of memory while generating","type":"internal_error"}}

                data: [DONE]

                """);
        StringBuilder seen = new StringBuilder();
        LlmException e = assertThrows(LlmException.class,
                () -> client(url, null, Duration.ofSeconds(5)).complete(call(sink(seen))));
        assertEquals(LlmException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("CUDA out of memory"), e.getMessage());
        assertEquals("The ", seen.toString());
    }

    @Test
    void aStreamIsPassedOnPieceByPieceWithItsUsageAtTheEnd() throws IOException {
        String url = serve(200, "text/event-stream; charset=utf-8", """
                data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"Tea is "}}]}\r
                \r
                data: {"choices":[{"index":0,"delta":{"content":"drunk."},"finish_reason":null}]}\r
                \r
                data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\r
                \r
                data: {"choices":[],"usage":{"prompt_tokens":30,"completion_tokens":4}}\r
                \r
                data: [DONE]\r
                \r
                """);
        StringBuilder seen = new StringBuilder();
        LlmReply reply = client(url, null, Duration.ofSeconds(5)).complete(call(sink(seen)));
        assertEquals("Tea is drunk.", reply.text());
        assertEquals("Tea is drunk.", seen.toString());
        assertEquals(30, reply.inputTokens());
        assertEquals(4, reply.outputTokens());
        assertFalse(reply.truncated());
    }

    @Test
    void aServerThatIgnoresStreamIsReadWholeAndStillPassedOn() throws IOException {
        String url = serve(200, "application/json", """
                {"choices":[{"index":0,"message":{"role":"assistant","content":"Whole."},"finish_reason":"stop"}],
                "usage":{"prompt_tokens":5,"completion_tokens":1}}""");
        StringBuilder seen = new StringBuilder();
        assertEquals("Whole.", client(url, null, Duration.ofSeconds(5)).complete(call(sink(seen))).text());
        assertEquals("Whole.", seen.toString());
    }

    @Test
    void aBodyThatNeverEndsIsBoundedByTheTimeout() throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write("{\"choices\":[".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
        String url = "http://localhost:" + server.getAddress().getPort() + "/v1/";
        long start = System.nanoTime();
        LlmException e = assertThrows(LlmException.class,
                () -> client(url, null, Duration.ofMillis(500)).complete(call(TokenSink.NONE)));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(LlmException.Kind.UNAVAILABLE, e.kind());
        assertTrue(tookMillis < 5_000, "the call ended after " + tookMillis + " ms");
        assertNull(ProviderSignals.current(), "nobody was listening on this thread");
    }

    private static TokenSink sink(StringBuilder seen) {
        return new TokenSink() {
            @Override
            public void begin() {
                seen.setLength(0);
            }

            @Override
            public void text(String delta) {
                seen.append(delta);
            }
        };
    }
}
