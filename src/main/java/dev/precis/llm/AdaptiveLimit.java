package dev.precis.llm;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How many calls may be in flight: starts at the configured ceiling, halves when the provider shows
 * overload (429, 5xx, timeout) and grows back by about one per round of successful calls (AIMD).
 * Only calls that started after the last cut may cut again, so one burst of failures halves once.
 */
final class AdaptiveLimit {

    private final int ceiling;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private double limit;
    private int inFlight;
    private long lastCut = Long.MIN_VALUE;

    AdaptiveLimit(int ceiling) {
        this.ceiling = Math.max(1, ceiling);
        this.limit = this.ceiling;
    }

    /** Waits for a slot; returns the start time to pass to {@link #release}. */
    long acquire() throws InterruptedException {
        lock.lock();
        try {
            while (inFlight >= (int) limit) {
                freed.await();
            }
            inFlight++;
            return System.nanoTime();
        } finally {
            lock.unlock();
        }
    }

    /** Frees the slot taken at {@code startedAt}; {@code overloaded} when the provider pushed back. */
    void release(long startedAt, boolean overloaded) {
        lock.lock();
        try {
            inFlight--;
            int before = (int) limit;
            if (overloaded) {
                if (startedAt > lastCut) {
                    limit = Math.max(1, limit / 2);
                    lastCut = System.nanoTime();
                }
            } else {
                limit = Math.min(ceiling, limit + 1 / limit);
            }
            // One slot freed wakes one waiter; only a grown limit frees more (waking all costs CPU at 64+).
            if ((int) limit > before) {
                freed.signalAll();
            } else {
                freed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Calls the limit allows right now. */
    int limit() {
        lock.lock();
        try {
            return (int) limit;
        } finally {
            lock.unlock();
        }
    }

    /** Slots free right now. */
    int free() {
        lock.lock();
        try {
            return Math.max(0, (int) limit - inFlight);
        } finally {
            lock.unlock();
        }
    }
}
