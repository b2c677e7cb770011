package dev.precis.llm;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToIntFunction;
import org.jboss.logging.Logger;

/**
 * The one way to a model: admits each call against the model's concurrency limit and its
 * requests- and tokens-per-minute budgets, counted as the provider counts them (see
 * {@link TokenBucket}), retries what waiting can fix (never sooner than the provider asks), and
 * holds every call while the provider refuses the account, letting one call through now and then
 * as the probe that ends the pause. The provider's rate-limit headers on each answer correct the
 * budgets, and a limit the provider states is kept even when none is configured.
 */
public final class ModelGateway implements LlmClient {

    private static final Logger LOG = Logger.getLogger(ModelGateway.class);
    /** Tokens a chat request costs beyond its two messages' text: 4 per message and 3 to prime the answer. */
    public static final int MESSAGE_OVERHEAD = 2 * 4 + 3;

    /**
     * Ceiling on calls in flight, per-minute budgets (0 = none, or the provider's own when its
     * headers state one), and the burst: how much of a minute's budget may go at once (a minute
     * lets the whole budget go at once, as the provider's bucket does; 10 s sends more smoothly).
     */
    public record Limits(int maxConcurrency, long tokensPerMinute, long requestsPerMinute, Duration window) {

        public Limits(int maxConcurrency, long tokensPerMinute, long requestsPerMinute) {
            this(maxConcurrency, tokensPerMinute, requestsPerMinute, Duration.ofMinutes(1));
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
    private final Limits limits;
    private final Retries retries;
    private final ToIntFunction<String> tokens;
    private final Sleeper sleeper;
    private final Listener listener;
    private final AdaptiveLimit concurrency;
    private final PromptRatio promptRatio = new PromptRatio();
    private final Budgets budgets;
    private final Pause pause = new Pause();
    private volatile long coolUntil = System.nanoTime();

    public ModelGateway(LlmClient provider, Limits limits, Retries retries, ToIntFunction<String> tokens,
            Sleeper sleeper, Listener listener) {
        this.provider = provider;
        this.limits = limits;
        this.retries = retries;
        this.tokens = tokens;
        this.sleeper = sleeper;
        this.listener = listener;
        this.concurrency = new AdaptiveLimit(limits.maxConcurrency());
        this.budgets = new Budgets(limits, provider.model());
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
        long localPrompt = -1;
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
            boolean overloaded = false;
            ProviderSignals heard = null;
            Budgets.Charges charges = null;
            try {
                // Counting the prompt costs CPU; only a token budget needs it.
                if (localPrompt < 0 && budgets.countsTokens()) {
                    localPrompt = call.promptTokens() >= 0 ? call.promptTokens()
                            : (long) tokens.applyAsInt(call.system()) + tokens.applyAsInt(call.user());
                }
                // The provider counts the output cap asked for, not what the answer will use, and keeps it.
                charges = budgets.take(localPrompt < 0 ? 0
                        : promptRatio.estimate(localPrompt + MESSAGE_OVERHEAD) + call.maxOutputTokens());
                long sentAt = System.nanoTime();
                deadline += sentAt - queuedAt;
                heard = ProviderSignals.listen();
                LlmReply reply;
                try {
                    reply = provider.complete(call);
                } finally {
                    heard.stop();
                    budgets.answered(charges);
                }
                if (localPrompt >= 0 && reply.inputTokens() > 0) {
                    promptRatio.learn(localPrompt + MESSAGE_OVERHEAD, reply.inputTokens());
                }
                budgets.correct(heard, charges);
                if (probe) {
                    pause.open();
                    LOG.infof("Model %s answers again; resuming", model());
                    listener.resumed(model());
                }
                return reply;
            } catch (LlmException e) {
                overloaded = e.kind() == LlmException.Kind.RATE_LIMITED || e.kind() == LlmException.Kind.UNAVAILABLE;
                // A refused call keeps its charge: the provider counts unsuccessful requests too.
                if (e.kind() == LlmException.Kind.RATE_LIMITED && localPrompt >= 0) {
                    promptRatio.refused(localPrompt + MESSAGE_OVERHEAD, call.maxOutputTokens(), e.getMessage());
                }
                if (heard != null) {
                    budgets.correct(heard, charges);
                }
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
                long hinted = Math.max(e.retryAfterMillis(), heard == null ? -1 : heard.retryAfterMillis());
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

    /** Tokens per minute the gateway lets through now (after its reserve), or 0 without a budget. */
    public long tokensPerMinute() {
        return budgets.tokensPerMinute();
    }

    /** Tokens a call could be charged now without waiting, or 0 without a budget. */
    public long tokensAvailable() {
        return budgets.tokensAvailable();
    }

    /** Tokens per minute of the whole group's limit (requests without a token budget), or 0 without a budget. */
    public long groupPerMinute() {
        return budgets.groupPerMinute();
    }

    /** Holds calls until {@link #share} is first told, at most {@code atMost}: the group has not been heard yet. */
    public void holdForShare(Duration atMost) {
        budgets.holdForShare(atMost);
    }

    /**
     * This pod's part of the group's budget; the first time, {@code held} is the part of the group's
     * burst its buckets start with (0 when it joins a group that is spending already).
     */
    public void share(double part, double held) {
        budgets.share(part, held);
    }

    /** Takes out the tokens this pod holds above its share (they were the group's), to hand to pods that wait. */
    public long takeExcess() {
        return budgets.takeExcess();
    }

    /** Tokens another pod of the group took out of its own budget for this one. */
    public void receive(long tokens) {
        budgets.receive(tokens);
    }

    /** What the budget was charged since the last look (tokens, else requests), or null without a budget. */
    public GroupShares.Spending spending() {
        TokenBucket.Spent s = budgets.spent();
        return s == null ? null : new GroupShares.Spending(s.amount(), s.waited());
    }

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
