package dev.precis.llm;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A budget counted over a sliding window (tokens or requests per minute): what was taken in the
 * last {@code window} never exceeds the limit, so a provider that counts per minute, by sliding
 * window or by bucket, is never sent more than it allows. Takers are served in arrival order, so a
 * large request is not starved by small ones; a reservation is corrected once the real use is known.
 */
final class RateWindow {

    /** One reservation; its amount and time are corrected after the call. */
    static final class Taken {
        private long at;
        private long amount;

        private Taken(long at, long amount) {
            this.at = at;
            this.amount = amount;
        }
    }

    private final long limit;
    private final long windowNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final java.util.List<Taken> taken = new java.util.ArrayList<>();
    private final ArrayDeque<Object> line = new ArrayDeque<>();
    private long sum;

    RateWindow(long limit, Duration window) {
        this.limit = Math.max(1, limit);
        this.windowNanos = window.toNanos() + 50_000_000L;
    }

    /** Takes {@code amount} (at most the whole limit), waiting in line until the window has room. */
    Taken take(long amount) throws InterruptedException {
        long wanted = Math.min(Math.max(0, amount), limit);
        Object me = new Object();
        lock.lock();
        try {
            line.addLast(me);
            try {
                while (true) {
                    long now = System.nanoTime();
                    expire(now);
                    boolean first = line.peekFirst() == me;
                    if (first && sum + wanted <= limit) {
                        Taken t = new Taken(now, wanted);
                        taken.add(t);
                        sum += wanted;
                        return t;
                    }
                    long wait = first ? roomAt(wanted) - now : windowNanos;
                    changed.awaitNanos(Math.max(wait, 100_000));
                }
            } finally {
                line.remove(me);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Corrects a reservation to what was really used (0 when the call was not counted) and moves it
     * to now: the provider counted the call when it arrived, somewhere between the reservation and
     * the answer, so only a window counted from the answer is sure to cover the provider's.
     */
    void settle(Taken t, long used) {
        lock.lock();
        try {
            long now = System.nanoTime();
            expire(now);
            if (taken.contains(t)) {
                long corrected = Math.max(0, used);
                sum += corrected - t.amount;
                t.amount = corrected;
                t.at = now;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The provider says only {@code remaining} is left: count the difference as used now. */
    void atMost(long remaining) {
        lock.lock();
        try {
            long now = System.nanoTime();
            expire(now);
            long missing = limit - Math.max(0, remaining) - sum;
            if (missing > 0) {
                taken.add(new Taken(now, missing));
                sum += missing;
            }
        } finally {
            lock.unlock();
        }
    }

    /** What is left in the window right now. */
    long available() {
        lock.lock();
        try {
            expire(System.nanoTime());
            return limit - sum;
        } finally {
            lock.unlock();
        }
    }

    private void expire(long now) {
        Iterator<Taken> it = taken.iterator();
        while (it.hasNext()) {
            Taken t = it.next();
            if (now - t.at >= windowNanos) {
                sum -= t.amount;
                it.remove();
            }
        }
    }

    /** When enough of the window will have expired for {@code wanted} to fit. */
    private long roomAt(long wanted) {
        long left = sum;
        java.util.List<Taken> byTime = new java.util.ArrayList<>(taken);
        byTime.sort(java.util.Comparator.comparingLong(t -> t.at));
        for (Taken t : byTime) {
            left -= t.amount;
            if (left + wanted <= limit) {
                return t.at + windowNanos;
            }
        }
        return System.nanoTime();
    }
}
