package dev.precis.llm;

import java.util.function.Function;

/**
 * What one call's response headers said: how long to wait after a 429 and how much of the rate
 * limit is left. The gateway listens around each call on its own thread; the HTTP layer, which
 * never hands headers to callers, writes what it hears into the listener of the call it serves.
 * So each model (and each API key, since every configured model has its own gateway) hears only
 * its own responses, never another model's on the same host.
 */
public final class ProviderSignals {

    private static final ThreadLocal<ProviderSignals> LISTENING = new ThreadLocal<>();

    /** Rate-limit state from {@code x-ratelimit-*} headers; -1 where a header was absent. */
    public record Limits(long remainingTokens, long remainingRequests, long limitTokens, long limitRequests,
            long resetTokensMillis, long resetRequestsMillis) {

        /** Tokens left, from {@code remaining} or else from the limit and the time until it is whole again. */
        long tokensLeft() {
            if (remainingTokens >= 0) {
                return remainingTokens;
            }
            return limitTokens > 0 && resetTokensMillis >= 0
                    ? Math.max(0, limitTokens - limitTokens * resetTokensMillis / 60_000) : -1;
        }

        /** Requests left, likewise. */
        long requestsLeft() {
            if (remainingRequests >= 0) {
                return remainingRequests;
            }
            return limitRequests > 0 && resetRequestsMillis >= 0
                    ? Math.max(0, limitRequests - limitRequests * resetRequestsMillis / 60_000) : -1;
        }
    }

    private volatile int status = -1;
    private volatile long retryAfterMillis = -1;
    private volatile Limits limits;

    /** Starts listening for the call this thread is about to make; pair with {@link #stop()}. */
    public static ProviderSignals listen() {
        ProviderSignals s = new ProviderSignals();
        LISTENING.set(s);
        return s;
    }

    /** The listener of the call being made on this thread, or null (read by the HTTP layer as a request leaves). */
    public static ProviderSignals current() {
        return LISTENING.get();
    }

    /** Ends listening on this thread. */
    public void stop() {
        if (LISTENING.get() == this) {
            LISTENING.remove();
        }
    }

    /** Records one response's status and headers; {@code header} returns null for an absent header. */
    public void observe(int status, Function<String, String> header) {
        this.status = status;
        long wait = RetryHints.fromHeaders(header.apply("retry-after-ms"), header.apply("retry-after"));
        if (status == 429 && wait >= 0) {
            retryAfterMillis = wait;
        }
        Limits l = new Limits(number(header.apply("x-ratelimit-remaining-tokens")),
                number(header.apply("x-ratelimit-remaining-requests")),
                number(header.apply("x-ratelimit-limit-tokens")), number(header.apply("x-ratelimit-limit-requests")),
                RetryHints.duration(header.apply("x-ratelimit-reset-tokens")),
                RetryHints.duration(header.apply("x-ratelimit-reset-requests")));
        if (l.remainingTokens() >= 0 || l.remainingRequests() >= 0 || l.limitTokens() >= 0 || l.limitRequests() >= 0) {
            limits = l;
        }
    }

    /** The HTTP status heard, or -1 when nothing was. */
    public int status() {
        return status;
    }

    /** The wait a 429 asked for in its headers, or -1. */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }

    /** The rate-limit headers heard, or null. */
    public Limits limits() {
        return limits;
    }

    private static long number(String value) {
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
