package dev.precis.llm.batch;

import dev.precis.llm.LlmClient;
import dev.precis.llm.LlmException;
import dev.precis.llm.LlmReply;
import dev.precis.llm.PartialStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The fate of each line of a finished batch: an answer is kept and handed over; a failure is read
 * as it would be online, put into a later batch, sent online, or handed to its document; a batch
 * refused as a whole waits for the quota or fails its documents with the provider's reason.
 */
final class BatchResults {

    private static final Logger LOG = Logger.getLogger(BatchResults.class);
    static final String UNCLAIMED = "batch-unclaimed:";

    private final String model;
    private final BatchApi api;
    private final BatchLedger ledger;
    private final PartialStore store;
    private final LlmClient online;
    private final BatchSettings settings;
    private final BatchClient.Listener listener;
    private final BatchBook book;
    private final BatchProgress progress;
    private final Supplier<Instant> clock;
    private final BooleanSupplier deadlinePassed;

    BatchResults(String model, BatchApi api, BatchLedger ledger, PartialStore store, LlmClient online,
            BatchSettings settings, BatchClient.Listener listener, BatchBook book, BatchProgress progress,
            Supplier<Instant> clock, BooleanSupplier deadlinePassed) {
        this.model = model;
        this.api = api;
        this.ledger = ledger;
        this.store = store;
        this.online = online;
        this.settings = settings;
        this.listener = listener;
        this.book = book;
        this.progress = progress;
        this.clock = clock;
        this.deadlinePassed = deadlinePassed;
    }

    void finish(BatchBook.Sent s, BatchApi.Job job) {
        if (job.status() == BatchApi.Status.FAILED) {
            failedBatch(s, job);
            return;
        }
        Map<String, BatchApi.Result> results = api.results(job);
        List<String> done = new ArrayList<>();
        List<BatchRequest> again = new ArrayList<>();
        int answered = 0;
        int kept = 0;
        for (BatchRequest r : s.requests()) {
            BatchApi.Result result = results.get(r.id);
            if (result == null) {
                result = new BatchApi.Result.Failed(new LlmException(LlmException.Kind.UNAVAILABLE,
                        "The batch " + job.id() + " ended " + job.status() + " without an answer for this request"), true);
            }
            if (result instanceof BatchApi.Result.Answered a) {
                answered++;
                kept += r.call == null ? 1 : 0;
                done.add(r.id);
                answer(r, a.reply().inBatch());
            } else if (!place((BatchApi.Result.Failed) result, r, again)) {
                done.add(r.id);
            }
        }
        ledger.finished(s.tag(), model, done);
        book.finished(s.tag(), again, clock.get());
        progress.finished(job, answered, s.requests().size() - answered);
        listener.batchFinished(model, job.status());
        // Kept answers are charged to the document that asks for them; one that asks differently after the
        // restart (its text cut anew with a token ratio learnt since) leaves its answer paid and unused.
        LOG.infof("Batch %s of %s %s: %d of %d answered (%d kept for documents not yet back), %d sent again", job.id(),
                model, job.status().name().toLowerCase(Locale.ROOT), answered, s.requests().size(), kept, again.size());
    }

    /** Where a failed line goes: into a later batch (returns true), online, or back to its document. */
    private boolean place(BatchApi.Result.Failed failed, BatchRequest r, List<BatchRequest> again) {
        if (r.call == null) {
            // No document waits for it yet (restored from the ledger); its document will ask again.
            book.forget(r);
            return false;
        }
        if (r.answer.isDone() || r.online) {
            return false;
        }
        if (failed.notRun()) {
            if (settings.onlineWhenNotRun() || deadlinePassed.getAsBoolean() && settings.onlineAtDeadline()) {
                goOnline(r);
                return false;
            }
            listener.line(model, r.stage(), "resubmitted", null);
            again.add(r);
            return true;
        }
        LlmException e = failed.failure();
        boolean retryable = e.kind() == LlmException.Kind.UNAVAILABLE || e.kind() == LlmException.Kind.RATE_LIMITED;
        if (retryable && r.failures < settings.lineRetries()) {
            r.failures++;
            listener.line(model, r.stage(), "retried", null);
            again.add(r);
            return true;
        }
        // A window refusal reaches the summarizer as online, which splits the text into the next batch.
        fail(r, e);
        return false;
    }

    private void failedBatch(BatchBook.Sent s, BatchApi.Job job) {
        ledger.finished(s.tag(), model, s.requests().stream().map(r -> r.id).toList());
        listener.batchFinished(model, job.status());
        if (job.quotaRefused()) {
            progress.forget(job, s.requests().size());
            boolean others = book.quotaRefused(s, job.failure(), clock.get());
            LOG.warnf("Batch %s of %s was refused for the enqueued-token quota (%s); its %d requests wait %s", job.id(),
                    model, job.failure(), s.requests().size(), others ? "for earlier batches to finish"
                            : "and go again in a smaller file");
            return;
        }
        book.refused(s.tag());
        LOG.warnf("Batch %s of %s failed validation: %s", job.id(), model, job.failure());
        progress.finished(job, 0, s.requests().size());
        LlmException e = new LlmException(LlmException.Kind.REJECTED, "The provider refused the batch " + job.id()
                + ": " + job.failure());
        for (BatchRequest r : s.requests()) {
            if (r.call == null) {
                book.forget(r);
            } else {
                fail(r, e);
            }
        }
    }

    private void answer(BatchRequest r, LlmReply reply) {
        if (!reply.truncated()) {
            // Kept before anyone is told: a worker killed now still does not pay for it again. An answer
            // no document waits for yet (its batch was resumed) is kept apart, so that the document that
            // takes it is charged for it, once.
            store.save(r.call == null ? UNCLAIMED + r.id : r.id,
                    new PartialStore.Partial(reply.text(), reply.inputTokens(), reply.outputTokens()));
        }
        book.forget(r);
        listener.line(model, r.stage(), "answered", reply);
        r.answer.complete(reply);
    }

    private void fail(BatchRequest r, LlmException e) {
        book.forget(r);
        listener.line(model, r.stage(), "failed", null);
        r.answer.completeExceptionally(e);
    }

    void goOnline(BatchRequest r) {
        r.online = true;
        book.forget(r);
        listener.line(model, r.stage(), "online", null);
        Thread.ofVirtual().name("precis-batch-online").start(() -> {
            try {
                r.answer.complete(online.complete(r.call));
            } catch (RuntimeException e) {
                r.answer.completeExceptionally(e);
            }
        });
    }
}
