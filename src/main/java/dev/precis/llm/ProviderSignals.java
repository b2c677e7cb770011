package dev.precis.llm;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What providers said in their response headers, per endpoint (host and port): how long to wait
 * after a 429 and how much of the rate limit is left. The HTTP layer writes; the gateway reads.
 * Kept per endpoint, not per call, because the HTTP clients in use do not hand headers to callers;
 * a 429's wait applies to every call to that endpoint anyway.
 */
public final class ProviderSignals {

    /** Rate-limit state from {@code x-ratelimit-*} headers; -1 where the header was absent. */
    public record Limits(long atNanos, long remainingTokens, long remainingRequests, long resetTokensMillis,
            long resetRequestsMillis) {
    }

    private record RetryAfter(long atNanos, long millis) {
    }

    private static final ProviderSignals SHARED = new ProviderSignals();

    private final Map<String, RetryAfter> retryAfter = new ConcurrentHashMap<>();
    private final Map<String, Limits> limits = new ConcurrentHashMap<>();

    /** The instance fed by the HTTP filter of the running worker. */
    public static ProviderSignals shared() {
        return SHARED;
    }

    /** Records one response's headers; {@code header} returns null for an absent header. */
    public void observe(URI request, int status, Function<String, String> header) {
        String endpoint = endpoint(request);
        long now = System.nanoTime();
        long wait = RetryHints.fromHeaders(header.apply("retry-after-ms"), header.apply("retry-after"));
        if (status == 429 && wait >= 0) {
            retryAfter.put(endpoint, new RetryAfter(now, wait));
        }
        long tokens = number(header.apply("x-ratelimit-remaining-tokens"));
        long requests = number(header.apply("x-ratelimit-remaining-requests"));
        if (tokens >= 0 || requests >= 0) {
            limits.put(endpoint, new Limits(now, tokens, requests,
                    RetryHints.duration(header.apply("x-ratelimit-reset-tokens")),
                    RetryHints.duration(header.apply("x-ratelimit-reset-requests"))));
        }
    }

    /** The wait a 429 from this endpoint asked for after {@code sinceNanos}, or -1. */
    public long retryAfterMillis(String endpoint, long sinceNanos) {
        RetryAfter r = retryAfter.get(endpoint);
        return r != null && r.atNanos() >= sinceNanos ? r.millis() : -1;
    }

    /** The newest rate-limit headers from this endpoint seen after {@code sinceNanos}, or null. */
    public Limits limitsSince(String endpoint, long sinceNanos) {
        Limits l = limits.get(endpoint);
        return l != null && l.atNanos() >= sinceNanos ? l : null;
    }

    /** The key calls to {@code uri} are filed under: lower-case host and port. */
    public static String endpoint(URI uri) {
        int port = uri.getPort() >= 0 ? uri.getPort() : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
        return String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT) + ":" + port;
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
