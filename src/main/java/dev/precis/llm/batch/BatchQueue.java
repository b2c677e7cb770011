package dev.precis.llm.batch;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The requests waiting to be sent, cut into input files within the provider's limits: requests
 * and bytes per file, and the tokens the model may have enqueued in unfinished batches (configured,
 * or read from the provider's refusal). A file is sent once no request has joined it for a while,
 * or once its oldest request has waited long enough, or once it is full. Not thread-safe: the
 * batch client holds its lock around every call.
 */
final class BatchQueue {

    // OpenAI: "Enqueued token limit reached for gpt-4o-mini in organization org-…. Limit: 2,000,000 enqueued tokens."
    private static final Pattern LIMIT = Pattern.compile("Limit: ([\\d,]+) enqueued tokens");

    private final BatchSettings settings;
    private final Deque<BatchRequest> waiting = new ArrayDeque<>();
    private long bytes;
    private Instant firstAt = Instant.MAX;
    private Instant lastAt = Instant.MIN;
    private Instant holdUntil = Instant.MIN;
    private boolean heldForQuota;
    private long learnedLimit;
    // After a file refused with nothing else enqueued, the next one is cut to half of it.
    private long cap;
    private int refusals;

    BatchQueue(BatchSettings settings) {
        this.settings = settings;
    }

    void add(BatchRequest r, Instant now) {
        if (waiting.isEmpty()) {
            firstAt = now;
        }
        waiting.addLast(r);
        bytes += r.bytes;
        lastAt = now;
    }

    /** Requests to send again, ahead of the rest, not before {@code notBefore}. */
    void putBack(List<BatchRequest> again, Instant notBefore) {
        if (again.isEmpty()) {
            return;
        }
        for (int i = again.size() - 1; i >= 0; i--) {
            waiting.addFirst(again.get(i));
            bytes += again.get(i).bytes;
        }
        firstAt = Instant.MIN;
        holdUntil = holdUntil.isAfter(notBefore) ? holdUntil : notBefore;
    }

    /** A batch was refused for the quota: its requests wait for an earlier batch to finish, or for a while. */
    void quotaRefused(List<BatchRequest> refused, String failure, boolean othersPending, Instant now) {
        Matcher m = LIMIT.matcher(failure == null ? "" : failure);
        if (m.find()) {
            learnedLimit = Long.parseLong(m.group(1).replace(",", ""));
        }
        long tokens = refused.stream().mapToLong(r -> r.tokens).sum();
        if (!othersPending) {
            // Alone and still too large: the provider counts more than the estimate, so cut smaller.
            cap = Math.max(1, tokens / 2);
        }
        refusals = Math.min(refusals + 1, 6);
        putBack(refused, othersPending ? now : now.plus(settings.pollInterval().multipliedBy(1L << refusals)));
        heldForQuota = othersPending;
    }

    /** A batch finished: room in the quota again. */
    void released() {
        heldForQuota = false;
        refusals = 0;
    }

    /**
     * The next input file, if one is due: at most the configured requests and bytes, and no more
     * tokens than the quota leaves beside the {@code enqueued} ones (a single request always goes).
     */
    List<BatchRequest> take(Instant now, long enqueued, boolean othersPending) {
        if (waiting.isEmpty() || now.isBefore(holdUntil) || heldForQuota && othersPending) {
            return List.of();
        }
        boolean full = waiting.size() >= settings.maxRequests() || bytes >= settings.maxBytes();
        boolean quiet = !now.isBefore(lastAt.plus(settings.quietFor()));
        boolean old = firstAt != Instant.MAX && !now.isBefore(firstAt.plus(settings.collectAtMost()));
        if (!full && !quiet && !old) {
            return List.of();
        }
        long limit = settings.enqueuedTokens() > 0 ? settings.enqueuedTokens() : learnedLimit;
        // A twentieth of the quota is kept free for what the local estimate of a prompt misses.
        long room = limit > 0 ? limit - limit / 20 - enqueued : Long.MAX_VALUE;
        if (cap > 0) {
            room = Math.min(room, cap);
        }
        if (room <= 0 && othersPending) {
            return List.of();
        }
        List<BatchRequest> slice = new ArrayList<>();
        long sliceBytes = 0;
        long sliceTokens = 0;
        while (!waiting.isEmpty() && slice.size() < settings.maxRequests()) {
            BatchRequest next = waiting.peekFirst();
            boolean first = slice.isEmpty();
            if (!first && (sliceBytes + next.bytes > settings.maxBytes() || sliceTokens + next.tokens > room)) {
                break;
            }
            if (first && next.tokens > room && othersPending) {
                break;
            }
            waiting.pollFirst();
            slice.add(next);
            sliceBytes += next.bytes;
            sliceTokens += next.tokens;
        }
        bytes -= sliceBytes;
        if (waiting.isEmpty()) {
            firstAt = Instant.MAX;
        }
        return slice;
    }

    void clear() {
        waiting.clear();
        bytes = 0;
        firstAt = Instant.MAX;
    }

    int size() {
        return waiting.size();
    }
}
