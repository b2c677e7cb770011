package dev.precis.llm;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToIntFunction;
import org.jboss.logging.Logger;

/**
 * The one way to a model: admits each call against the model's concurrency limit and its
 * requests- and tokens-per-minute budgets, retries what waiting can fix (never sooner than the
 * provider asks), and holds every call while the provider refuses the account, letting one call
 * through now and then as the probe that ends the pause.
 */
public final class ModelGateway implements LlmClient {

    private static final Logger LOG = Logger.getLogger(ModelGateway.class);

    /**
     * Ceiling on calls in flight, per-minute budgets (0 = none), and the window they are counted over:
     * one minute, or shorter for smoother sending (a 10 s window allows a sixth of each budget).
     */
    public record Limits(int maxConcurrency, long tokensPerMinute, long requestsPerMinute, Duration window) {

        public Limits(int maxConcurrency, long tokensPerMinute, long requestsPerMinute) {
            this(maxConcurrency, tokensPerMinute, requestsPerMinute, Duration.ofMinutes(1));
        }

        /** A window's share of a per-minute budget, less 1% kept in reserve for rounding at the provider. */
        long perWindow(long perMinute) {
            return Math.max(1, (long) (perMinute * 0.99 * window.toMillis() / 60_000));
        }
    }

    /** Time allowed for retries per call, the first backoff, and how often a paused model is probed. */
    public record Retries(Duration budget, Duration initialBackoff, Duration probeInterval) {
    }

    /** Told what the gateway does, for metrics and readiness. */
    public interface Listener extends RetryListener {
        Listener NONE = (failure, waitMillis) -> { };

        default void paused(String model, String reason) {
        }

        default void resumed(String model) {
        }
    }

    /** Sleeps; separate so that tests can record waits instead of spending them. */
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final LlmClient provider;
    private final String endpoint;
    private final Retries retries;
    private final ProviderSignals signals;
    private final ToIntFunction<String> tokens;
    private final Sleeper sleeper;
    private final Listener listener;
    private final AdaptiveLimit concurrency;
    private final RateWindow tokenBudget;
    private final RateWindow requestBudget;
    private final Pause pause = new Pause();
    private volatile long coolUntil = System.nanoTime();

    public ModelGateway(LlmClient provider, String endpoint, Limits limits, Retries retries, ProviderSignals signals,
            ToIntFunction<String> tokens, Sleeper sleeper, Listener listener) {
        this.provider = provider;
        this.endpoint = endpoint;
        this.retries = retries;
        this.signals = signals;
        this.tokens = tokens;
        this.sleeper = sleeper;
        this.listener = listener;
        this.concurrency = new AdaptiveLimit(limits.maxConcurrency());
        this.tokenBudget = limits.tokensPerMinute() > 0
                ? new RateWindow(limits.perWindow(limits.tokensPerMinute()), limits.window()) : null;
        this.requestBudget = limits.requestsPerMinute() > 0
                ? new RateWindow(limits.perWindow(limits.requestsPerMinute()), limits.window()) : null;
    }

    @Override
    public LlmReply complete(LlmCall call) {
        try {
            return completeOrThrow(call);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmException(LlmException.Kind.UNAVAILABLE, "Interrupted while waiting for the model");
        }
    }

    private LlmReply completeOrThrow(LlmCall call) throws InterruptedException {
        // Counting the prompt costs CPU; only a token budget needs it.
        long reserve = tokenBudget == null ? 0
                : (call.promptTokens() >= 0 ? call.promptTokens()
                        : (long) tokens.applyAsInt(call.system()) + tokens.applyAsInt(call.user())) + call.maxOutputTokens();
        // Time spent held by a pause or queued for admission is not retry time: it extends the deadline.
        long deadline = System.nanoTime() + retries.budget().toNanos();
        long backoff = Math.max(1, retries.initialBackoff().toMillis());
        int attempt = 0;
        while (true) {
            attempt++;
            long queuedAt = System.nanoTime();
            boolean probe = pause.awaitTurn(retries.probeInterval());
            coolDown();
            long startedAt = concurrency.acquire();
            RateWindow.Taken taken = null;
            boolean overloaded = false;
            try {
                if (requestBudget != null) {
                    requestBudget.take(1);
                }
                if (tokenBudget != null) {
                    taken = tokenBudget.take(reserve);
                }
                long sentAt = System.nanoTime();
                deadline += sentAt - queuedAt;
                LlmReply reply = provider.complete(call);
                settle(taken, reply.inputTokens() + reply.outputTokens(), sentAt);
                taken = null;
                if (probe) {
                    pause.open();
                    LOG.infof("Model %s answers again; resuming", model());
                    listener.resumed(model());
                }
                return reply;
            } catch (LlmException e) {
                overloaded = e.kind() == LlmException.Kind.RATE_LIMITED || e.kind() == LlmException.Kind.UNAVAILABLE;
                if (taken != null && e.kind() != LlmException.Kind.UNAVAILABLE) {
                    // Refused before any work; a timeout or 5xx may still have been counted, so it keeps its share.
                    tokenBudget.settle(taken, 0);
                }
                taken = null;
                if (e.kind() == LlmException.Kind.ACCOUNT) {
                    if (pause.close(retries.probeInterval())) {
                        LOG.warnf("Model %s refuses the account (%s); holding all its calls and probing every %s",
                                model(), e.getMessage(), retries.probeInterval());
                        listener.paused(model(), e.getMessage());
                    }
                    attempt = 0;
                    continue;
                }
                if (probe) {
                    // The probe got through the account check but failed otherwise: the account works.
                    pause.open();
                    listener.resumed(model());
                }
                long hinted = Math.max(e.retryAfterMillis(), signals.retryAfterMillis(endpoint, startedAt));
                if (e.kind() == LlmException.Kind.RATE_LIMITED) {
                    if (hinted > 0) {
                        coolUntil = Math.max(coolUntil, System.nanoTime() + hinted * 1_000_000);
                    }
                }
                long jittered = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
                long wait = Math.max(hinted, jittered);
                if (!overloaded || System.nanoTime() + wait * 1_000_000 > deadline) {
                    throw attempt == 1 ? e : new LlmException(e.kind(), e.getMessage()
                            + " (gave up after " + attempt + " attempts)", -1, e).refusal(e.refusal()).spent(e.spent());
                }
                listener.retrying(e, wait);
                sleeper.sleep(wait);
                backoff = Math.min(backoff * 2, 60_000);
            } finally {
                if (taken != null) {
                    tokenBudget.settle(taken, 0);
                }
                concurrency.release(startedAt, overloaded);
            }
        }
    }

    /** Waits out a provider-ordered pause (Retry-After) that applies to every call to the model. */
    private void coolDown() throws InterruptedException {
        long left = coolUntil - System.nanoTime();
        if (left > 0) {
            sleeper.sleep(Math.max(1, left / 1_000_000));
        }
    }

    /** Corrects the token reservation with what the call used, and with the provider's own count. */
    private void settle(RateWindow.Taken reserved, long used, long sentAt) {
        if (tokenBudget == null) {
            return;
        }
        tokenBudget.settle(reserved, used);
        ProviderSignals.Limits seen = signals.limitsSince(endpoint, sentAt);
        if (seen != null && seen.remainingTokens() >= 0) {
            tokenBudget.atMost(seen.remainingTokens());
        }
    }

    /** Slots free right now under the adaptive limit. */
    public int availablePermits() {
        return concurrency.free();
    }

    /** The adaptive limit on calls in flight right now. */
    public int currentLimit() {
        return concurrency.limit();
    }

    /** True while calls are held because the provider refuses the account. */
    public boolean paused() {
        return pause.isClosed();
    }

    @Override
    public String model() {
        return provider.model();
    }
}
