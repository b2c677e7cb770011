package dev.precis.llm.batch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one model's batch client has in hand, under one lock: every request waiting for an answer,
 * the batches at the provider with the requests each holds, and the queue of requests not yet sent.
 */
final class BatchBook {

    /** A batch at the provider, with the requests it holds. */
    record Sent(String tag, String batchId, Instant sealedAt, List<BatchRequest> requests) {
        long tokens() {
            return requests.stream().mapToLong(r -> r.tokens).sum();
        }
    }

    private final Map<String, BatchRequest> requests = new HashMap<>();
    private final Map<String, Sent> sent = new LinkedHashMap<>();
    private final BatchQueue queue;

    BatchBook(BatchSettings settings) {
        this.queue = new BatchQueue(settings);
    }

    /** The request already waiting for the same call, or {@code fresh}, queued to be sent. */
    synchronized BatchRequest join(BatchRequest fresh, Instant now) {
        BatchRequest known = requests.get(fresh.id);
        if (known == null) {
            requests.put(fresh.id, fresh);
            queue.add(fresh, now);
            return fresh;
        }
        if (known.call == null) {
            // Restored from the ledger: its batch is still running, and this is its document asking again.
            known.call = fresh.call;
        }
        return known;
    }

    /** A batch of an earlier run, taken up again. */
    synchronized List<BatchRequest> resumed(String tag, String batchId, Instant sealedAt, Map<String, String> documents) {
        List<BatchRequest> held = new ArrayList<>();
        documents.forEach((id, doc) -> {
            BatchRequest r = new BatchRequest(id, null, doc, 0, 0);
            requests.put(id, r);
            held.add(r);
        });
        sent.put(tag, new Sent(tag, batchId, sealedAt, held));
        return held;
    }

    /** The next input file, if one is due (see {@link BatchQueue#take}). */
    synchronized List<BatchRequest> nextFile(Instant now) {
        long enqueued = sent.values().stream().mapToLong(Sent::tokens).sum();
        return queue.take(now, enqueued, !sent.isEmpty());
    }

    synchronized void putBack(List<BatchRequest> again, Instant notBefore) {
        queue.putBack(again, notBefore);
    }

    synchronized void sent(Sent batch) {
        sent.put(batch.tag(), batch);
    }

    synchronized List<Sent> sentBatches() {
        return new ArrayList<>(sent.values());
    }

    /** A batch is done with: what must go again is queued first, and the quota has room again. */
    synchronized void finished(String tag, List<BatchRequest> again, Instant now) {
        sent.remove(tag);
        queue.putBack(again, now);
        queue.released();
    }

    /** A batch refused for the quota; returns whether earlier batches of the model are still pending. */
    synchronized boolean quotaRefused(Sent batch, String failure, Instant now) {
        sent.remove(batch.tag());
        boolean others = !sent.isEmpty();
        queue.quotaRefused(batch.requests(), failure, others, now);
        return others;
    }

    synchronized void refused(String tag) {
        sent.remove(tag);
    }

    synchronized void forget(BatchRequest r) {
        requests.remove(r.id);
    }

    /** At the deadline: every request a document waits for, with the queue emptied. */
    synchronized List<BatchRequest> waitingAtDeadline() {
        List<BatchRequest> waiting = new ArrayList<>();
        for (BatchRequest r : requests.values()) {
            if (r.call != null && !r.answer.isDone()) {
                waiting.add(r);
            }
        }
        queue.clear();
        return waiting;
    }

    synchronized int pendingRequests() {
        return requests.size();
    }

    synchronized int pendingBatches() {
        return sent.size();
    }

    synchronized int collecting() {
        return queue.size();
    }
}
