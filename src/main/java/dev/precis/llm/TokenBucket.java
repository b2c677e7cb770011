package dev.precis.llm;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A per-minute limit counted the way OpenAI describes its own: a bucket that holds at most a
 * minute's budget (or a shorter burst) and refills continuously. A call is charged when it is
 * admitted, with what the provider will charge (prompt estimate plus the requested output cap),
 * and nothing comes back when the answer turns out shorter: the provider has already counted it.
 * Takers are served in arrival order, so a large call is not starved by small ones. When pods of a
 * group share the limit, this bucket holds this pod's share of it (see {@link GroupShares}).
 */
final class TokenBucket {

    static final int FREEZE_AT_MOST_SECONDS = 5;
    private static final long FREEZE_AT_MOST_NANOS = FREEZE_AT_MOST_SECONDS * 1_000_000_000L;

    /** Part of the limit kept in reserve for rounding at the provider. */
    static final double RESERVE = 0.01;

    /** One admission: its amount, when, and whether it was taken from a full bucket. */
    record Charge(long amount, long atNanos, boolean fromFull) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Object> line = new ArrayDeque<>();
    private final double burstShare;
    private long groupPerMinute;
    private double share = 1.0;
    private double charged;
    private boolean waited;
    private double capacity;
    /** Above the capacity: what a shrunken share may still hold, lowered by every charge until it is the capacity. */
    private double ceiling;
    private double perNano;
    private double level;
    private long refilledAt = System.nanoTime();
    private Charge frozenBy;
    private long frozenUntil;

    /** {@code burst}: how much of a minute's budget may go at once (a minute: all of it). */
    TokenBucket(long perMinute, Duration burst) {
        this.burstShare = Math.min(1.0, Math.max(1, burst.toMillis()) / 60_000.0);
        setLimit(perMinute);
        this.level = capacity;
    }

    /** Charges {@code amount} (at most the whole capacity), waiting in line until the bucket holds it. */
    Charge take(long amount) throws InterruptedException {
        Object me = new Object();
        lock.lock();
        try {
            line.addLast(me);
            try {
                while (true) {
                    refill();
                    double wanted = Math.min(Math.max(0, amount), capacity);
                    boolean first = line.peekFirst() == me;
                    if (first && level >= wanted) {
                        boolean full = level >= capacity - 0.5;
                        level -= wanted;
                        charged += wanted;
                        ceiling = Math.max(capacity, ceiling - wanted);
                        Charge c = new Charge((long) Math.ceil(wanted), refilledAt, full);
                        if (full) {
                            frozenBy = c;
                            frozenUntil = refilledAt + FREEZE_AT_MOST_NANOS;
                        }
                        return c;
                    }
                    waited = true;
                    long wait = first ? (long) Math.ceil((wanted - level) / perNano) : 1_000_000_000L;
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
     * The provider said {@code remaining} was left once it had counted {@code charge} (null: a call
     * this bucket did not charge), and has refilled since. Calls admitted after that charge are not
     * subtracted: some of them overtook it on the way and are already in the figure, and which ones
     * cannot be known. So the figure is an upper bound on what the provider has left, and the level
     * is lowered to it when it is lower, which happens when another pod or client spends on the same
     * key or the provider counts more than we do, never because calls crossed. A higher figure is
     * never trusted, so that a configured limit below the provider's stays the limit. The figure is
     * the whole group's, so no pod may hold more than it.
     */
    void heard(Charge charge, long remaining) {
        locked(() -> {
            double provider = remaining + (charge == null ? 0 : (refilledAt - charge.atNanos()) * perNano);
            if (provider < level) {
                // Never more than a bucket in debt: a wrong figure cannot stall the model for long.
                level = Math.max(provider, -capacity);
            }
        });
    }

    /**
     * A call has been answered. If it was charged from a full bucket, refilling starts again now:
     * the provider's bucket stayed full, and so gained nothing, until that call arrived there,
     * somewhere before the answer, while ours would have been refilling since the charge. So a first
     * call slow to arrive (a cold start, a new connection) cannot let the calls after it overrun the
     * provider's bucket. The pause lasts {@value #FREEZE_AT_MOST_SECONDS} s at most, so that a hung
     * call cannot hold the budget.
     */
    void answered(Charge charge) {
        if (!charge.fromFull()) {
            return;
        }
        locked(() -> {
            if (frozenBy == charge) {
                frozenBy = null;
            }
        });
    }

    /** The provider's own limit (the whole group's); adopted when it is below ours (a lower tier than configured). */
    boolean atMost(long perMinute) {
        return read(() -> {
            if (perMinute <= 0 || perMinute >= groupPerMinute) {
                return false;
            }
            refill();
            setLimit(perMinute);
            level = Math.min(level, capacity);
            ceiling = capacity;
            return true;
        });
    }

    /**
     * This pod's part of the group's limit, from 0 to 1: the bucket refills at that part of the rate
     * and holds at most that part of the burst. What it holds now stays when the share shrinks, since
     * no other pod gains it: it still refills up to that, less what it spends, until it is down to
     * the new share's. So across the group the tokens held follow what the provider's bucket holds,
     * and none of it is thrown away.
     */
    void share(double part) {
        locked(() -> {
            share = Math.max(0.0, Math.min(1.0, part));
            setLimit(groupPerMinute);
            ceiling = Math.max(capacity, Math.min(ceiling, level));
            changed.signalAll();
        });
    }

    /**
     * The bucket's first content once the group is heard: {@code held}, a part of the whole group's
     * burst (0 when the group is spending the provider's bucket already; this pod's share of it when
     * the pods start together).
     */
    void startWith(double held) {
        locked(() -> {
            double groupBurst = Math.max(1, groupPerMinute) * (1 - RESERVE) * burstShare;
            level = Math.max(0, Math.min(1, held)) * groupBurst;
            ceiling = Math.max(capacity, level);
        });
    }

    /**
     * Takes out what the bucket holds above its share's burst (held since the share shrank), for
     * pods that could spend it now; 0 when there is nothing above.
     */
    double takeExcess() {
        return read(() -> {
            refill();
            double excess = Math.max(0, level - capacity);
            level -= excess;
            ceiling = capacity;
            return excess;
        });
    }

    /** Adds what another pod gave away: it held it and took it out of its own bucket first. */
    void receive(double amount) {
        locked(() -> {
            level += Math.max(0, amount);
            ceiling = Math.max(capacity, level);
            changed.signalAll();
        });
    }

    /** What was charged since the last look, and whether a taker had to wait for it. */
    record Spent(long amount, boolean waited) {
    }

    /** What was charged since the last call of this method, and whether anyone waited. */
    Spent spentSinceLastLook() {
        return read(() -> {
            Spent s = new Spent(Math.round(charged), waited || !line.isEmpty());
            charged = 0;
            waited = false;
            return s;
        });
    }

    /** The limit of the whole group (this pod's when it is alone), after the reserve. */
    long groupPerMinute() {
        return read(() -> Math.round(Math.max(1, groupPerMinute) * (1 - RESERVE)));
    }

    /** Tokens per minute this bucket lets through, after the reserve: this pod's share. */
    long perMinute() {
        return read(() -> Math.round(perNano * 60e9));
    }

    /** What could be charged right now without waiting. */
    long available() {
        return read(() -> {
            refill();
            return (long) Math.floor(level);
        });
    }

    /** Runs {@code change} under the lock, on the bucket refilled up to now. */
    private void locked(Runnable change) {
        lock.lock();
        try {
            refill();
            change.run();
        } finally {
            lock.unlock();
        }
    }

    /** Reads (or takes) something under the lock. */
    private <T> T read(Supplier<T> value) {
        lock.lock();
        try {
            return value.get();
        } finally {
            lock.unlock();
        }
    }

    private void setLimit(long perMinute) {
        groupPerMinute = perMinute;
        // A share of nothing would wait for ever: the least a bucket refills is one token a minute.
        double usable = Math.max(1, Math.max(1, perMinute) * (1 - RESERVE) * share);
        capacity = Math.max(1, usable * burstShare);
        perNano = usable / 60e9;
    }

    private void refill() {
        long now = System.nanoTime();
        if (frozenBy != null) {
            if (now < frozenUntil) {
                refilledAt = now;
                return;
            }
            refilledAt = Math.max(refilledAt, frozenUntil);
            frozenBy = null;
        }
        double most = Math.max(capacity, ceiling);
        if (level < most) {
            level = Math.min(most, level + (now - refilledAt) * perNano);
        }
        refilledAt = now;
    }
}
