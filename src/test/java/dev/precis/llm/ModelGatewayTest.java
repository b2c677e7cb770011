package dev.precis.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ModelGatewayTest {

    private static final LlmCall CALL = new LlmCall("map", "s", "u", 10);
    private static final LlmReply OK = new LlmReply("fine", 5, 1, false);

    private final List<Long> waits = Collections.synchronizedList(new ArrayList<>());
    private final List<LlmException.Kind> retried = Collections.synchronizedList(new ArrayList<>());
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    @Test
    void waitsAtLeastAsLongAsTheProviderAsksThenSucceeds() {
        Deque<Object> script = new ArrayDeque<>(List.of(
                new LlmException(LlmException.Kind.RATE_LIMITED, "429", 7_000, null),
                new LlmException(LlmException.Kind.UNAVAILABLE, "503"), OK));
        LlmReply reply = gateway(scripted(script), Duration.ofMinutes(5), 2).complete(CALL);
        assertEquals(OK, reply);
        assertTrue(waits.get(0) >= 7_000, "waited " + waits);
        assertEquals(List.of(LlmException.Kind.RATE_LIMITED, LlmException.Kind.UNAVAILABLE), retried);
    }

    @Test
    void aRetryAfterHeaderIsHonouredWithoutACap() {
        // The HTTP layer saw the 429's headers; the exception itself carries no hint.
        LlmClient provider = scripted(new ArrayDeque<>(List.of(
                (Runnable) () -> ProviderSignals.current().observe(429, Map.of("retry-after", "95")::get),
                OK)));
        gateway(provider, Duration.ofMinutes(5), 2).complete(CALL);
        assertTrue(waits.stream().mapToLong(Long::longValue).sum() >= 95_000, "waited " + waits);
    }

    @Test
    void givesUpWhenTheRetryBudgetIsSpent() {
        Deque<Object> script = new ArrayDeque<>();
        for (int i = 0; i < 100; i++) {
            script.add(new LlmException(LlmException.Kind.UNAVAILABLE, "503"));
        }
        LlmException e = assertThrows(LlmException.class,
                () -> gateway(scripted(script), Duration.ofMillis(10), 2).complete(CALL));
        assertEquals(LlmException.Kind.UNAVAILABLE, e.kind());
    }

    @Test
    void neverRetriesWhatRetryingCannotFix() {
        for (LlmException.Kind kind : List.of(LlmException.Kind.CONTEXT_LENGTH_EXCEEDED,
                LlmException.Kind.REJECTED, LlmException.Kind.CONTENT_FILTERED)) {
            Deque<Object> script = new ArrayDeque<>(List.of(new LlmException(kind, "no"), OK));
            LlmException e = assertThrows(LlmException.class,
                    () -> gateway(scripted(script), Duration.ofMinutes(5), 2).complete(CALL));
            assertEquals(kind, e.kind());
            assertEquals(1, script.size(), "no second attempt for " + kind);
        }
        assertTrue(waits.isEmpty());
    }

    @Test
    void overloadHalvesTheConcurrencyLimitAndSuccessGrowsItBack() {
        Deque<Object> script = new ArrayDeque<>(List.of(new LlmException(LlmException.Kind.RATE_LIMITED, "429"), OK));
        ModelGateway gateway = gateway(scripted(script), Duration.ofMinutes(5), 16);
        assertEquals(16, gateway.currentLimit());
        gateway.complete(CALL);
        assertEquals(8, gateway.currentLimit(), "halved once by the 429, not yet grown back by one success");
        ModelGateway recovering = gateway(scripted(new ArrayDeque<>(Collections.nCopies(40, OK))), Duration.ofMinutes(5), 16);
        for (int i = 0; i < 40; i++) {
            recovering.complete(CALL);
        }
        assertEquals(16, recovering.currentLimit(), "never above the ceiling");
    }

    @Test
    void anAccountRefusalHoldsCallsUntilAProbeSucceeds() throws Exception {
        AtomicInteger refusals = new AtomicInteger(3);
        AtomicInteger sent = new AtomicInteger();
        LlmClient provider = new LlmClient() {
            @Override
            public LlmReply complete(LlmCall call) {
                sent.incrementAndGet();
                if (refusals.getAndDecrement() > 0) {
                    throw new LlmException(LlmException.Kind.ACCOUNT, "insufficient_quota");
                }
                return OK;
            }

            @Override
            public String model() {
                return "m";
            }
        };
        ModelGateway gateway = new ModelGateway(provider, new ModelGateway.Limits(4, 0, 0),
                new ModelGateway.Retries(Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(40)),
                String::length, waits::add, listener());
        List<CompletableFuture<LlmReply>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> gateway.complete(CALL)));
        }
        for (CompletableFuture<LlmReply> c : calls) {
            assertEquals(OK, c.get(10, TimeUnit.SECONDS), "held, then answered; never failed");
        }
        assertEquals(List.of("paused", "resumed"), events, "one pause, logged once, one resume");
        assertFalse(gateway.paused());
        // Only the calls in flight when the refusal came, plus one per probe, reached the provider refused.
        assertTrue(sent.get() <= 5 + 3 + 4, "sent " + sent.get());
    }

    @Test
    void readsRetryHintsFromBodiesAndHeaders() {
        assertEquals(1500, RetryHints.fromBody("Rate limit reached. Please try again in 1.5s."));
        assertEquals(350, RetryHints.fromBody("Please try again in 350ms."));
        assertEquals(120_000, RetryHints.fromBody("try again in 2 minutes"));
        assertEquals(20_000, RetryHints.fromBody("{\"@type\": \"type.googleapis.com/google.rpc.RetryInfo\", \"retryDelay\": \"20s\"}"));
        assertEquals(-1, RetryHints.fromBody("no hint"));
        assertEquals(1500, RetryHints.fromHeaders("1500", "2"));
        assertEquals(2000, RetryHints.fromHeaders(null, "2"));
        assertEquals(-1, RetryHints.fromHeaders(null, null));
        assertEquals(360_000, RetryHints.duration("6m0s"));
        assertEquals(20, RetryHints.duration("20ms"));
        assertEquals(3_723_500, RetryHints.duration("1h2m3.5s"));
    }

    @Test
    void aRetryAfterHeardByOneModelDoesNotHoldAnotherOnTheSameHost() {
        ModelGateway throttled = gateway(scripted(new ArrayDeque<>(List.of(
                (Runnable) () -> ProviderSignals.current().observe(429, Map.of("retry-after", "95")::get), OK))),
                Duration.ofMinutes(5), 2);
        throttled.complete(CALL);
        long waitedByFirst = waits.stream().mapToLong(Long::longValue).sum();
        waits.clear();
        gateway(scripted(new ArrayDeque<>(List.of(OK))), Duration.ofMinutes(5), 2).complete(CALL);
        assertTrue(waitedByFirst >= 95_000, "the throttled model waited " + waitedByFirst);
        assertEquals(List.of(), waits, "the other model did not wait");
    }

    @Test
    void headersHeardOnTheCallingThreadReachOnlyThatCall() throws Exception {
        ProviderSignals mine = ProviderSignals.listen();
        ProviderSignals[] other = new ProviderSignals[1];
        Thread t = Thread.ofVirtual().start(() -> other[0] = ProviderSignals.current());
        t.join();
        mine.observe(200, Map.of("x-ratelimit-remaining-tokens", "1200", "x-ratelimit-limit-tokens", "90000",
                "x-ratelimit-reset-tokens", "6m0s")::get);
        mine.stop();
        assertEquals(null, other[0], "another thread hears nothing");
        assertEquals(null, ProviderSignals.current(), "listening ends with the call");
        assertEquals(1200, mine.limits().tokensLeft());
        assertEquals(90_000, mine.limits().limitTokens());
        assertEquals(360_000, mine.limits().resetTokensMillis());
        ProviderSignals resetOnly = new ProviderSignals();
        resetOnly.observe(200, Map.of("x-ratelimit-limit-tokens", "60000", "x-ratelimit-reset-tokens", "15s")::get);
        assertEquals(45_000, resetOnly.limits().tokensLeft(), "a quarter of the minute to refill: three quarters left");
    }

    private ModelGateway gateway(LlmClient provider, Duration budget, int ceiling) {
        return new ModelGateway(provider, new ModelGateway.Limits(ceiling, 0, 0),
                new ModelGateway.Retries(budget, Duration.ofMillis(100), Duration.ofSeconds(30)),
                String::length, waits::add, listener());
    }

    private ModelGateway.Listener listener() {
        return new ModelGateway.Listener() {
            @Override
            public void retrying(LlmException failure, long waitMillis) {
                retried.add(failure.kind());
            }

            @Override
            public void paused(String model, String reason) {
                events.add("paused");
            }

            @Override
            public void resumed(String model) {
                events.add("resumed");
            }
        };
    }

    /** Answers from the script: an exception is thrown, a Runnable is run and then a bare 429 thrown. */
    private static LlmClient scripted(Deque<Object> script) {
        return new LlmClient() {
            @Override
            public LlmReply complete(LlmCall call) {
                Object next = script.poll();
                if (next instanceof LlmException e) {
                    throw e;
                }
                if (next instanceof Runnable headersSeen) {
                    headersSeen.run();
                    throw new LlmException(LlmException.Kind.RATE_LIMITED, "429");
                }
                return (LlmReply) next;
            }

            @Override
            public String model() {
                return "scripted";
            }
        };
    }
}
