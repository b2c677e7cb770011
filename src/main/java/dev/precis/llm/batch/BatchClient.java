package dev.precis.llm.batch;

import dev.precis.llm.LlmCall;
import dev.precis.llm.LlmClient;
import dev.precis.llm.LlmException;
import dev.precis.llm.LlmReply;
import dev.precis.llm.ModelGateway;
import dev.precis.llm.PartialReuse;
import dev.precis.llm.PartialStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * A model reached through the provider's Batch API. Each call waits (for hours, if need be) while
 * the calls of every document in flight are collected into input files, sent as batches and
 * polled; the caller sees an ordinary answer or failure, so a document that needs several rounds
 * (map, collapse, reduce, translate) simply goes through successive batches. Identical calls share
 * one request. Every answer is kept in the partial store the moment it is read, and the {@link
 * BatchLedger} records each batch before it is created, so that a restarted worker waits for the
 * batches it already has instead of paying for them again.
 */
public final class BatchClient implements LlmClient, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BatchClient.class);

    /** Told what the batches do, for metrics. */
    public interface Listener {
        Listener NONE = new Listener() { };

        default void submitted(String model, int requests) {
        }

        /** A line's fate: answered, failed, retried, resubmitted, online. */
        default void line(String model, String stage, String fate, LlmReply reply) {
        }

        default void batchFinished(String model, BatchApi.Status status) {
        }
    }

    private final String model;
    private final String promptVersion;
    private final BatchApi api;
    private final PartialStore store;
    private final LlmClient online;
    private final BatchSettings settings;
    private final Listener listener;
    private final Supplier<Instant> clock;
    private final BatchBook book;
    private final BatchProgress progress;
    private final BatchResults results;
    private final BatchSubmitter submitter;
    private final Thread loop;
    private volatile boolean running = true;
    private volatile boolean deadlinePassed;

    public BatchClient(String model, String promptVersion, BatchApi api, BatchLedger ledger, PartialStore store,
            LlmClient online, BatchSettings settings, Listener listener, Supplier<Instant> clock) {
        this.model = model;
        this.promptVersion = promptVersion;
        this.api = api;
        this.store = store;
        this.online = online;
        this.settings = settings;
        this.listener = listener;
        this.clock = clock;
        this.book = new BatchBook(settings);
        this.progress = new BatchProgress(model, settings, clock);
        this.results = new BatchResults(model, api, ledger, store, online, settings, listener, book, progress, clock,
                () -> deadlinePassed);
        this.submitter = new BatchSubmitter(model, api, ledger, settings, listener, book, progress);
        submitter.resume();
        this.loop = Thread.ofPlatform().daemon().name("precis-batch-" + model).start(this::run);
    }

    @Override
    public LlmReply complete(LlmCall call) {
        if (deadlinePassed && settings.onlineAtDeadline()) {
            return online.complete(call);
        }
        String id = PartialReuse.key(model, promptVersion, call);
        Optional<PartialStore.Partial> kept = store.find(id);
        if (kept.isPresent()) {
            return LlmReply.reused(kept.get().text());
        }
        Optional<PartialStore.Partial> unclaimed = store.find(BatchResults.UNCLAIMED + id);
        if (unclaimed.isPresent()) {
            // Paid in a batch of an earlier run and never given to its document: this document's cost.
            PartialStore.Partial p = unclaimed.get();
            store.save(id, p);
            return new LlmReply(p.text(), p.inputTokens(), p.outputTokens(), false, 0, false, true);
        }
        BatchRequest fresh = new BatchRequest(id, call, call.document(), api.size(new BatchApi.Line(id, call)),
                tokens(call));
        return await(book.join(fresh, clock.get()));
    }

    private static LlmReply await(BatchRequest request) {
        try {
            return request.answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmException(LlmException.Kind.UNAVAILABLE, "Interrupted while waiting for a batch");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof LlmException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** What the provider counts against the enqueued-token quota: the prompt, its message framing and the output cap. */
    private static long tokens(LlmCall call) {
        long prompt = call.promptTokens() >= 0 ? call.promptTokens() : (call.system().length() + call.user().length()) / 3;
        return prompt + ModelGateway.MESSAGE_OVERHEAD + call.maxOutputTokens();
    }

    private void run() {
        Instant lastPoll = Instant.EPOCH;
        while (running) {
            try {
                Instant now = clock.get();
                for (List<BatchRequest> file = book.nextFile(now); !file.isEmpty(); file = book.nextFile(now)) {
                    submitter.submit(file, now);
                }
                if (!now.isBefore(lastPoll.plus(settings.pollInterval()))) {
                    lastPoll = now;
                    poll();
                }
                checkDeadline(now);
                progress.log(now, book.pendingBatches(), book.collecting());
                Thread.sleep(Math.max(10, Math.min(1000, settings.pollInterval().toMillis() / 4)));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("Batch loop of %s: %s; trying again", model, e.toString());
                sleepQuietly(settings.pollInterval());
            }
        }
    }

    private void poll() {
        for (BatchBook.Sent s : book.sentBatches()) {
            BatchApi.Job job;
            try {
                job = api.get(s.batchId());
            } catch (LlmException e) {
                LOG.warnf("Batch %s of %s could not be read (%s); asking again later", s.batchId(), model, e.getMessage());
                continue;
            }
            progress.status(job);
            if (job.status().finished()) {
                results.finish(s, job);
            }
        }
    }

    /** At the deadline, what is still pending goes online (and its batches are cancelled), or keeps waiting. */
    private void checkDeadline(Instant now) {
        if (deadlinePassed || settings.deadline() == null || now.isBefore(settings.deadline())) {
            return;
        }
        deadlinePassed = true;
        if (!settings.onlineAtDeadline()) {
            LOG.warnf("The batch deadline %s has passed with %d requests of %s pending; they keep waiting",
                    settings.deadline(), book.pendingRequests(), model);
            return;
        }
        List<BatchRequest> waiting = book.waitingAtDeadline();
        List<BatchBook.Sent> batches = book.sentBatches();
        LOG.warnf("The batch deadline %s has passed: %d pending requests of %s are sent online, %d batches cancelled",
                settings.deadline(), waiting.size(), model, batches.size());
        waiting.forEach(results::goOnline);
        for (BatchBook.Sent s : batches) {
            try {
                api.cancel(s.batchId());
            } catch (LlmException e) {
                LOG.warnf("Batch %s of %s could not be cancelled: %s", s.batchId(), model, e.getMessage());
            }
        }
    }

    /** Requests waiting for an answer: collecting or in a batch. */
    public int pendingRequests() {
        return book.pendingRequests();
    }

    /** Batches at the provider not yet finished. */
    public int pendingBatches() {
        return book.pendingBatches();
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public void close() {
        running = false;
        loop.interrupt();
    }
}
