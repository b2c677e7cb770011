package dev.precis.llm;

import org.jboss.logging.Logger;

/**
 * A model's tokens-per-minute and requests-per-minute buckets: charged before each attempt, told
 * when it was answered, and corrected by what the provider's headers say (a lower limit, less left,
 * or a limit the configuration did not give).
 */
final class Budgets {

    private static final Logger LOG = Logger.getLogger(Budgets.class);

    /** What one attempt was charged, and from which buckets (null where there was none). */
    record Charges(TokenBucket tokens, TokenBucket.Charge tokenCharge, TokenBucket requests,
            TokenBucket.Charge requestCharge) {
    }

    private final ModelGateway.Limits limits;
    private final String model;
    private volatile TokenBucket tokenBudget;
    private volatile TokenBucket requestBudget;
    private volatile double share = 1.0;
    private final java.util.concurrent.CountDownLatch shared = new java.util.concurrent.CountDownLatch(1);
    private volatile long holdNanos;

    Budgets(ModelGateway.Limits limits, String model) {
        this.limits = limits;
        this.model = model;
        this.tokenBudget = limits.tokensPerMinute() > 0 ? new TokenBucket(limits.tokensPerMinute(), limits.window()) : null;
        this.requestBudget = limits.requestsPerMinute() > 0
                ? new TokenBucket(limits.requestsPerMinute(), limits.window()) : null;
    }

    /** Whether attempts are charged in tokens, so their prompt must be counted. */
    boolean countsTokens() {
        return tokenBudget != null;
    }

    /**
     * Holds calls until the group has said this pod's share (at most {@code atMost}), so that a pod
     * starting beside others does not spend the whole limit before it knows of them.
     */
    void holdForShare(java.time.Duration atMost) {
        holdNanos = atMost.toNanos();
    }

    /**
     * This pod's part of the group's limits. The first time, {@code held} (a part of the group's
     * burst) is what the buckets start with; after that it is ignored.
     */
    void share(double part, double held) {
        share = part;
        boolean first = shared.getCount() > 0;
        for (TokenBucket b : new TokenBucket[] {tokenBudget, requestBudget}) {
            if (b != null) {
                b.share(part);
                if (first) {
                    b.startWith(held);
                }
            }
        }
        shared.countDown();
    }

    /** Takes out what the token budget holds above this pod's share, to give to pods that wait; 0 without. */
    long takeExcess() {
        TokenBucket b = tokenBudget;
        return b == null ? 0 : (long) Math.floor(b.takeExcess());
    }

    /** Adds tokens another pod of the group gave away. */
    void receive(long tokens) {
        TokenBucket b = tokenBudget;
        if (b != null) {
            b.receive(tokens);
        }
    }

    /** What the token budget (else the request budget) was charged since the last look; null without one. */
    TokenBucket.Spent spent() {
        TokenBucket b = tokenBudget != null ? tokenBudget : requestBudget;
        return b == null ? null : b.spentSinceLastLook();
    }

    /** The group's limit in tokens per minute (requests without a token budget), after the reserve; 0 without one. */
    long groupPerMinute() {
        TokenBucket b = tokenBudget != null ? tokenBudget : requestBudget;
        return b == null ? 0 : b.groupPerMinute();
    }

    /** Charges one request and {@code tokens} (when positive), waiting for room in each bucket. */
    Charges take(long tokens) throws InterruptedException {
        long hold = holdNanos;
        boolean budgeted = tokenBudget != null || requestBudget != null;
        if (hold > 0 && budgeted && shared.getCount() > 0
                && !shared.await(hold, java.util.concurrent.TimeUnit.NANOSECONDS)) {
            holdNanos = 0;
            LOG.warnf("Model %s: no word from the group on its budget share; spending the whole limit", model);
        }
        TokenBucket requests = requestBudget;
        TokenBucket budget = tokenBudget;
        TokenBucket.Charge requestCharge = requests == null ? null : requests.take(1);
        TokenBucket.Charge tokenCharge = budget == null || tokens <= 0 ? null : budget.take(tokens);
        return new Charges(tokenCharge == null ? null : budget, tokenCharge, requests, requestCharge);
    }

    /** The attempt got its answer (or its refusal): buckets held for it may refill again. */
    void answered(Charges charges) {
        if (charges == null) {
            return;
        }
        if (charges.tokenCharge() != null) {
            charges.tokens().answered(charges.tokenCharge());
        }
        if (charges.requestCharge() != null) {
            charges.requests().answered(charges.requestCharge());
        }
    }

    /**
     * Lets the provider's headers correct the budgets: what it says is left lowers ours, and a
     * limit it states becomes ours when it is lower or when none was configured.
     */
    void correct(ProviderSignals heard, Charges charges) {
        ProviderSignals.Limits seen = heard.limits();
        if (seen == null) {
            return;
        }
        correct(charges == null ? null : charges.tokens(), charges == null ? null : charges.tokenCharge(),
                seen.limitTokens(), seen.tokensLeft(), true);
        correct(charges == null ? null : charges.requests(), charges == null ? null : charges.requestCharge(),
                seen.limitRequests(), seen.requestsLeft(), false);
    }

    private void correct(TokenBucket used, TokenBucket.Charge charge, long limit, long left, boolean forTokens) {
        TokenBucket bucket = used != null ? used : adopt(limit, forTokens);
        if (bucket == null) {
            return;
        }
        if (used != null && bucket.atMost(limit)) {
            LOG.infof("Model %s: the provider allows %d %s/min, less than configured; using its limit", model, limit,
                    forTokens ? "tokens" : "requests");
        }
        if (left >= 0) {
            bucket.heard(charge, left);
        }
    }

    /** A budget for a limit the provider states and the configuration does not, made once. */
    private synchronized TokenBucket adopt(long perMinute, boolean forTokens) {
        if (perMinute <= 0) {
            return null;
        }
        TokenBucket existing = forTokens ? tokenBudget : requestBudget;
        if (existing != null) {
            return existing;
        }
        TokenBucket made = new TokenBucket(perMinute, limits.window());
        made.share(share);
        if (forTokens) {
            tokenBudget = made;
        } else {
            requestBudget = made;
        }
        LOG.infof("Model %s: the provider allows %d %s per minute; keeping calls within it", model, perMinute,
                forTokens ? "tokens" : "requests");
        return made;
    }

    long tokensPerMinute() {
        TokenBucket t = tokenBudget;
        return t == null ? 0 : t.perMinute();
    }

    long tokensAvailable() {
        TokenBucket t = tokenBudget;
        return t == null ? 0 : Math.max(0, t.available());
    }
}
