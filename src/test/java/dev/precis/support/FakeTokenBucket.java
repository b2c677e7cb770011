package dev.precis.support;

import com.sun.net.httpserver.Headers;
import java.time.Duration;

/**
 * The fake provider's tokens-per-minute limit, as OpenAI describes its own: a bucket holding a
 * minute's tokens (or a burst's share of them), refilled continuously, charged at arrival.
 */
final class FakeTokenBucket {

    private long perMinute;
    private double capacity;
    private double level;
    private long at;

    /** Sets the limit; 0 means none. */
    synchronized void limit(long tokensPerMinute, Duration burst) {
        perMinute = tokensPerMinute;
        capacity = tokensPerMinute * Math.min(1.0, burst.toMillis() / 60_000.0);
        level = capacity;
        at = System.nanoTime();
    }

    synchronized long perMinute() {
        return perMinute;
    }

    /** Charges {@code tokens}; 0 when accepted, else how long until they would fit. */
    synchronized long admit(int tokens) {
        if (perMinute <= 0) {
            return 0;
        }
        refill();
        if (level >= tokens) {
            level -= tokens;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((tokens - level) / perMilli()));
    }

    /** Tokens of the bucket in use now, as OpenAI's refusal reports them. */
    synchronized long used() {
        refill();
        return (long) Math.ceil(capacity - level);
    }

    /** OpenAI's x-ratelimit-* token headers: the limit, what is left, and the time until the bucket is full. */
    synchronized void headers(Headers out) {
        if (perMinute <= 0) {
            return;
        }
        refill();
        long resetMillis = (long) Math.ceil((capacity - level) / perMilli());
        out.add("x-ratelimit-limit-tokens", Long.toString(perMinute));
        out.add("x-ratelimit-remaining-tokens", Long.toString((long) Math.floor(level)));
        out.add("x-ratelimit-reset-tokens", resetMillis >= 60_000 ? (resetMillis / 60_000) + "m"
                + (resetMillis % 60_000) / 1000.0 + "s" : resetMillis < 1000 ? resetMillis + "ms" : resetMillis / 1000.0 + "s");
    }

    private double perMilli() {
        return perMinute / 60_000.0;
    }

    private void refill() {
        long now = System.nanoTime();
        level = Math.min(capacity, level + (now - at) / 1e6 * perMilli());
        at = now;
    }
}
