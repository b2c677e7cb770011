package dev.precis.ingest;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How long the engine waits before it tries Kafka again after a refusal or an output it could not
 * write: half a second, doubling up to 30 s, back to the start once things work. A stop ends the
 * wait at once.
 */
final class LaneBackoff {

    private static final Duration FIRST = Duration.ofMillis(500);
    private static final Duration MOST = Duration.ofSeconds(30);

    private final CountDownLatch stopping;
    private Duration next = FIRST;

    LaneBackoff(CountDownLatch stopping) {
        this.stopping = stopping;
    }

    /** Waits the current backoff; false when the worker is stopping (then the loop ends). */
    boolean await() {
        try {
            // The consumer, whose own thread keeps reconnecting (the consumer group protocol's), is
            // closed right after a stop, so nothing is gained by waiting it out.
            if (stopping.await(next.toMillis(), TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(MOST) > 0 ? MOST : doubled;
        return true;
    }

    void reset() {
        next = FIRST;
    }
}
