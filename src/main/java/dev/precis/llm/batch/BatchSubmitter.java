package dev.precis.llm.batch;

import dev.precis.llm.LlmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Sends input files as batches, each recorded in the ledger before it is created, and takes up
 * at startup the batches an earlier run left, so that none is created twice.
 */
final class BatchSubmitter {

    private static final Logger LOG = Logger.getLogger(BatchSubmitter.class);

    private final String model;
    private final BatchApi api;
    private final BatchLedger ledger;
    private final BatchSettings settings;
    private final BatchClient.Listener listener;
    private final BatchBook book;
    private final BatchProgress progress;

    BatchSubmitter(String model, BatchApi api, BatchLedger ledger, BatchSettings settings,
            BatchClient.Listener listener, BatchBook book, BatchProgress progress) {
        this.model = model;
        this.api = api;
        this.ledger = ledger;
        this.settings = settings;
        this.listener = listener;
        this.book = book;
        this.progress = progress;
    }

    /** Takes up the batches an earlier run left: waits for those created, finds or forgets those that may not be. */
    void resume() {
        for (BatchLedger.Entry e : ledger.open(model)) {
            String batchId = e.batchId();
            if (batchId == null) {
                Optional<BatchApi.Job> found = api.findByTag(e.tag(), e.sealedAt().minus(Duration.ofMinutes(5)));
                if (found.isEmpty()) {
                    // Never created: nothing was paid, and its documents will ask again.
                    ledger.finished(e.tag(), model, e.documentsByRequest().keySet());
                    LOG.infof("Batch %s of %s was recorded but never created; its %d requests will be sent again",
                            e.tag(), model, e.documentsByRequest().size());
                    continue;
                }
                batchId = found.get().id();
                ledger.created(e.tag(), model, batchId);
            }
            List<BatchRequest> held = book.resumed(e.tag(), batchId, e.sealedAt(), e.documentsByRequest());
            progress.submitted(held.size());
            LOG.infof("Resuming batch %s (%s) of %s: %d requests, none sent again", batchId, e.tag(), model, held.size());
        }
    }

    /** Records the batch, then creates it; a batch the ledger does not know could be paid for twice. */
    void submit(List<BatchRequest> file, Instant now) {
        String tag = UUID.randomUUID().toString();
        Map<String, String> documents = new LinkedHashMap<>();
        List<BatchApi.Line> lines = new ArrayList<>();
        for (BatchRequest r : file) {
            documents.put(r.id, r.document == null ? "" : r.document);
            lines.add(new BatchApi.Line(r.id, r.call));
        }
        try {
            ledger.sealed(tag, model, documents);
        } catch (RuntimeException e) {
            LOG.warnf("A batch of %d requests for %s could not be recorded (%s); trying again in %s", file.size(), model,
                    e.getMessage(), settings.pollInterval());
            book.putBack(file, now.plus(settings.pollInterval()));
            return;
        }
        BatchApi.Job job;
        try {
            job = api.create(tag, lines);
        } catch (LlmException e) {
            Optional<BatchApi.Job> found = findQuietly(tag, now);
            if (found.isEmpty()) {
                ledger.finished(tag, model, documents.keySet());
                refusedFile(file, e, now);
                return;
            }
            job = found.get();
        }
        ledger.created(tag, model, job.id());
        book.sent(new BatchBook.Sent(tag, job.id(), now, file));
        progress.submitted(file.size());
        listener.submitted(model, file.size());
        LOG.infof("Batch %s of %s created: %d requests", job.id(), model, file.size());
    }

    /** A file the provider would not take: refused for what it holds (its documents fail), or not now (again later). */
    private void refusedFile(List<BatchRequest> file, LlmException e, Instant now) {
        if (e.kind() == LlmException.Kind.REJECTED || e.kind() == LlmException.Kind.CONTEXT_LENGTH_EXCEEDED) {
            LOG.warnf("The provider refused a batch file of %d requests for %s: %s", file.size(), model, e.getMessage());
            for (BatchRequest r : file) {
                book.forget(r);
                listener.line(model, r.stage(), "failed", null);
                r.answer.completeExceptionally(e);
            }
            return;
        }
        LOG.warnf("A batch of %d requests for %s could not be created (%s); trying again in %s", file.size(), model,
                e.getMessage(), settings.pollInterval());
        book.putBack(file, now.plus(settings.pollInterval()));
    }

    private Optional<BatchApi.Job> findQuietly(String tag, Instant since) {
        try {
            return api.findByTag(tag, since.minus(Duration.ofMinutes(5)));
        } catch (LlmException e) {
            return Optional.empty();
        }
    }

}
