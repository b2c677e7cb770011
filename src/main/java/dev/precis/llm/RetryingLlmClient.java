package dev.precis.llm;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongConsumer;

/**
 * Wraps a provider client with the one retry layer and a ceiling on concurrent calls: throttling and
 * transient failures are retried with backoff (never sooner than the provider's Retry-After) until a
 * total time limit; everything else is passed straight back to the caller.
 */
public final class RetryingLlmClient implements LlmClient {

    private final LlmClient delegate;
    private final Semaphore permits;
    private final Duration retryBudget;
    private final Duration initialBackoff;
    private final LongConsumer sleeper;
    private final RetryListener listener;

    public RetryingLlmClient(LlmClient delegate, int maxConcurrency, Duration retryBudget,
            Duration initialBackoff, LongConsumer sleeper, RetryListener listener) {
        this.delegate = delegate;
        this.listener = listener;
        this.permits = new Semaphore(maxConcurrency, true);
        this.retryBudget = retryBudget;
        this.initialBackoff = initialBackoff;
        this.sleeper = sleeper;
    }

    @Override
    public LlmReply complete(LlmCall call) {
        long deadline = System.nanoTime() + retryBudget.toNanos();
        long backoff = initialBackoff.toMillis();
        int attempt = 0;
        while (true) {
            attempt++;
            try {
                return callWithPermit(call);
            } catch (LlmException e) {
                boolean retriable = e.kind() == LlmException.Kind.RATE_LIMITED
                        || e.kind() == LlmException.Kind.UNAVAILABLE;
                long jittered = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
                long wait = Math.max(e.retryAfterMillis(), jittered);
                if (!retriable || System.nanoTime() + wait * 1_000_000 > deadline) {
                    throw attempt == 1 ? e : new LlmException(e.kind(), e.getMessage()
                            + " (gave up after " + attempt + " attempts)", -1, e);
                }
                listener.retrying(e, wait);
                sleeper.accept(wait);
                backoff = Math.min(backoff * 2, 60_000);
            }
        }
    }

    private LlmReply callWithPermit(LlmCall call) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmException(LlmException.Kind.UNAVAILABLE, "Interrupted while waiting for a call slot");
        }
        try {
            return delegate.complete(call);
        } finally {
            permits.release();
        }
    }

    /** Call slots free right now (the ceiling minus calls in flight or waiting). */
    public int availablePermits() {
        return permits.availablePermits();
    }

    @Override
    public String model() {
        return delegate.model();
    }
}
