package dev.precis.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryingLlmClientTest {

    private static final LlmCall CALL = new LlmCall("map", "s", "u", 10);
    private static final LlmReply OK = new LlmReply("fine", 5, 1, false);

    private final List<Long> waits = new ArrayList<>();
    private final List<LlmException.Kind> retried = new ArrayList<>();

    @Test
    void waitsAtLeastAsLongAsTheProviderAsksThenSucceeds() {
        Deque<Object> script = new ArrayDeque<>(List.of(
                new LlmException(LlmException.Kind.RATE_LIMITED, "429", 7_000, null),
                new LlmException(LlmException.Kind.UNAVAILABLE, "503"), OK));
        LlmReply reply = client(script, Duration.ofMinutes(5)).complete(CALL);
        assertEquals(OK, reply);
        assertEquals(2, waits.size());
        assertTrue(waits.get(0) >= 7_000, "waited " + waits.get(0));
        assertEquals(List.of(LlmException.Kind.RATE_LIMITED, LlmException.Kind.UNAVAILABLE), retried);
    }

    @Test
    void givesUpWhenTheRetryBudgetIsSpent() {
        Deque<Object> script = new ArrayDeque<>();
        for (int i = 0; i < 100; i++) {
            script.add(new LlmException(LlmException.Kind.UNAVAILABLE, "503"));
        }
        LlmException e = assertThrows(LlmException.class, () -> client(script, Duration.ofMillis(10)).complete(CALL));
        assertEquals(LlmException.Kind.UNAVAILABLE, e.kind());
    }

    @Test
    void neverRetriesWhatRetryingCannotFix() {
        for (LlmException.Kind kind : List.of(LlmException.Kind.CONTEXT_LENGTH_EXCEEDED,
                LlmException.Kind.REJECTED, LlmException.Kind.CONTENT_FILTERED)) {
            Deque<Object> script = new ArrayDeque<>(List.of(new LlmException(kind, "no"), OK));
            LlmException e = assertThrows(LlmException.class, () -> client(script, Duration.ofMinutes(5)).complete(CALL));
            assertEquals(kind, e.kind());
            assertEquals(1, script.size(), "no second attempt for " + kind);
        }
        assertTrue(waits.isEmpty());
    }

    @Test
    void readsOpenAiStyleRetryHints() {
        assertEquals(1500, RetryHints.fromBody("Rate limit reached. Please try again in 1.5s."));
        assertEquals(350, RetryHints.fromBody("Please try again in 350ms."));
        assertEquals(120_000, RetryHints.fromBody("try again in 2 minutes"));
        assertEquals(-1, RetryHints.fromBody("no hint"));
    }

    private RetryingLlmClient client(Deque<Object> script, Duration budget) {
        LlmClient scripted = new LlmClient() {
            @Override
            public LlmReply complete(LlmCall call) {
                Object next = script.poll();
                if (next instanceof LlmException e) {
                    throw e;
                }
                return (LlmReply) next;
            }

            @Override
            public String model() {
                return "scripted";
            }
        };
        return new RetryingLlmClient(scripted, 2, budget, Duration.ofMillis(100), waits::add,
                (failure, wait) -> retried.add(failure.kind()));
    }
}
