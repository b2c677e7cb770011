package dev.precis.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SameKeyOrderUnitTest {

    private static byte[] key(String k) {
        return k.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRecordWaitsForTheEarlierOneWithItsKeyOnly() throws Exception {
        SameKeyOrder order = new SameKeyOrder();
        SameKeyOrder.Turn first = order.arrive(key("a"));
        SameKeyOrder.Turn second = order.arrive(key("a"));
        SameKeyOrder.Turn other = order.arrive(key("b"));
        assertNull(order.arrive(null), "records without a key are not ordered");

        first.awaitPrevious();
        other.awaitPrevious();
        CompletableFuture<Void> waiting = awaitInBackground(second);
        assertFalse(completesWithin(waiting, Duration.ofMillis(200)), "the second waits while the first runs");
        first.end();
        assertTrue(completesWithin(waiting, Duration.ofSeconds(5)), "and goes once the first has ended");
        second.end();
        other.end();
        assertEquals(0, order.keysInFlight(), "finished keys are forgotten");
    }

    @Test
    void aRecordThatEndsEarlyStillHandsOnOnlyAfterTheOnesBeforeIt() throws Exception {
        SameKeyOrder order = new SameKeyOrder();
        SameKeyOrder.Turn first = order.arrive(key("a"));
        SameKeyOrder.Turn second = order.arrive(key("a"));
        SameKeyOrder.Turn third = order.arrive(key("a"));
        // The second failed before its turn came (nacked): the third must still wait for the first.
        second.end();
        CompletableFuture<Void> waiting = awaitInBackground(third);
        assertFalse(completesWithin(waiting, Duration.ofMillis(200)));
        first.end();
        assertTrue(completesWithin(waiting, Duration.ofSeconds(5)));
        third.end();
        assertEquals(0, order.keysInFlight());
    }

    private static CompletableFuture<Void> awaitInBackground(SameKeyOrder.Turn turn) {
        return CompletableFuture.runAsync(() -> {
            try {
                turn.awaitPrevious();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static boolean completesWithin(CompletableFuture<Void> f, Duration d) {
        try {
            f.get(d.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
