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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
    private static final String UNCLAIMED = "batch-unclaimed:";

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
    private final BatchLedger ledger;
    private final PartialStore store;
    private final LlmClient online;
    private final BatchSettings settings;
    private final Listener listener;
    private final Supplier<Instant> clock;
    private final BatchQueue queue;
    private final BatchProgress progress;
    private final Thread loop;
    private volatile boolean running = true;
    private volatile boolean deadlinePassed;

    /** One request: known from a document's call, or only from the ledger until its document asks again. */
    static final class Request {
        final String id;
        final CompletableFuture<LlmReply> answer = new CompletableFuture<>();
        volatile LlmCall call;
        String document;
        int failures;
        long bytes;
        long tokens;

        Request(String id, LlmCall call, String document) {
            this.id = id;
            this.call = call;
            this.document = document;
        }
    }

    /** A batch at the provider, with the requests it holds. */
    record Sent(String tag, String batchId, Instant sealedAt, List<Request> requests) {
        long tokens() {
            return requests.stream().mapToLong(r -> r.tokens).sum();
        }
    }

    private final Map<String, Request> requests = new HashMap<>();
    private final Map<String, Sent> sent = new LinkedHashMap<>();

    public BatchClient(String model, String promptVersion, BatchApi api, BatchLedger ledger, PartialStore store,
            LlmClient online, BatchSettings settings, Listener listener, Supplier<Instant> clock) {
        this.model = model;
        this.promptVersion = promptVersion;
        this.api = api;
        this.ledger = ledger;
        this.store = store;
        this.online = online;
        this.settings = settings;
        this.listener = listener;
        this.clock = clock;
        this.queue = new BatchQueue(settings);
        this.progress = new BatchProgress(model, settings, clock);
        resume();
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
        Optional<PartialStore.Partial> unclaimed = store.find(UNCLAIMED + id);
        if (unclaimed.isPresent()) {
            // Paid in a batch of an earlier run and never given to its document: this document's cost.
            PartialStore.Partial p = unclaimed.get();
            store.save(id, p);
            return new LlmReply(p.text(), p.inputTokens(), p.outputTokens(), false, 0, false, true);
        }
        Request request;
        synchronized (this) {
            request = requests.get(id);
            if (request == null) {
                request = new Request(id, call, call.document());
                request.bytes = api.size(new BatchApi.Line(id, call));
                request.tokens = tokens(call);
                requests.put(id, request);
                queue.add(request, clock.get());
            } else if (request.call == null) {
                // Restored from the ledger: its batch is still running, and this is its document asking again.
                request.call = call;
            }
        }
        return await(request);
    }

    private static LlmReply await(Request request) {
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

    /** Takes up the batches an earlier run left: waits for those created, finds or forgets those that may not be. */
    private void resume() {
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
            List<Request> held = new ArrayList<>();
            synchronized (this) {
                e.documentsByRequest().forEach((id, doc) -> {
                    Request r = new Request(id, null, doc);
                    requests.put(id, r);
                    held.add(r);
                });
                sent.put(e.tag(), new Sent(e.tag(), batchId, e.sealedAt(), held));
            }
            progress.submitted(held.size());
            LOG.infof("Resuming batch %s (%s) of %s: %d requests, none sent again", batchId, e.tag(), model, held.size());
        }
    }

    private void run() {
        Instant lastPoll = Instant.EPOCH;
        while (running) {
            try {
                Instant now = clock.get();
                submitDue(now);
                if (!now.isBefore(lastPoll.plus(settings.pollInterval()))) {
                    lastPoll = now;
                    poll();
                }
                checkDeadline(now);
                logProgress(now);
                Thread.sleep(Math.max(10, Math.min(1000, settings.pollInterval().toMillis() / 4)));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("Batch loop of %s: %s; trying again", model, e.toString());
                sleepQuietly(settings.pollInterval());
            }
        }
    }

    private void submitDue(Instant now) {
        while (true) {
            List<Request> slice;
            synchronized (this) {
                long enqueued = sent.values().stream().mapToLong(Sent::tokens).sum();
                slice = queue.take(now, enqueued, !sent.isEmpty());
            }
            if (slice.isEmpty()) {
                return;
            }
            submit(slice, now);
        }
    }

    private void submit(List<Request> slice, Instant now) {
        String tag = java.util.UUID.randomUUID().toString();
        Map<String, String> documents = new LinkedHashMap<>();
        List<BatchApi.Line> lines = new ArrayList<>();
        for (Request r : slice) {
            documents.put(r.id, r.document == null ? "" : r.document);
            lines.add(new BatchApi.Line(r.id, r.call));
        }
        ledger.sealed(tag, model, documents);
        BatchApi.Job job;
        try {
            job = api.create(tag, lines);
        } catch (LlmException e) {
            Optional<BatchApi.Job> found = findQuietly(tag, now);
            if (found.isEmpty()) {
                ledger.finished(tag, model, documents.keySet());
                if (e.kind() == LlmException.Kind.REJECTED || e.kind() == LlmException.Kind.CONTEXT_LENGTH_EXCEEDED) {
                    LOG.warnf("The provider refused a batch file of %d requests for %s: %s", slice.size(), model,
                            e.getMessage());
                    slice.forEach(r -> fail(r, e));
                } else {
                    LOG.warnf("A batch of %d requests for %s could not be created (%s); trying again in %s", slice.size(),
                            model, e.getMessage(), settings.pollInterval());
                    synchronized (this) {
                        queue.putBack(slice, now.plus(settings.pollInterval()));
                    }
                }
                return;
            }
            job = found.get();
        }
        ledger.created(tag, model, job.id());
        synchronized (this) {
            sent.put(tag, new Sent(tag, job.id(), now, slice));
        }
        progress.submitted(slice.size());
        listener.submitted(model, slice.size());
        LOG.infof("Batch %s of %s created: %d requests", job.id(), model, slice.size());
    }

    private Optional<BatchApi.Job> findQuietly(String tag, Instant since) {
        try {
            return api.findByTag(tag, since.minus(Duration.ofMinutes(5)));
        } catch (LlmException e) {
            return Optional.empty();
        }
    }

    private void poll() {
        List<Sent> pending;
        synchronized (this) {
            pending = new ArrayList<>(sent.values());
        }
        for (Sent s : pending) {
            BatchApi.Job job;
            try {
                job = api.get(s.batchId());
            } catch (LlmException e) {
                LOG.warnf("Batch %s of %s could not be read (%s); asking again later", s.batchId(), model, e.getMessage());
                continue;
            }
            progress.status(job);
            if (job.status().finished()) {
                finish(s, job);
            }
        }
    }

    private void finish(Sent s, BatchApi.Job job) {
        if (job.status() == BatchApi.Status.FAILED) {
            failedBatch(s, job);
            return;
        }
        Map<String, BatchApi.Result> results = api.results(job);
        List<String> done = new ArrayList<>();
        List<Request> again = new ArrayList<>();
        int answered = 0;
        for (Request r : s.requests()) {
            BatchApi.Result result = results.get(r.id);
            if (result == null) {
                result = new BatchApi.Result.Failed(new LlmException(LlmException.Kind.UNAVAILABLE,
                        "The batch " + job.id() + " ended " + job.status() + " without an answer for this request"), true);
            }
            if (result instanceof BatchApi.Result.Answered a) {
                answered++;
                done.add(r.id);
                answer(r, a.reply().inBatch());
            } else if (!place((BatchApi.Result.Failed) result, r, again)) {
                done.add(r.id);
            }
        }
        ledger.finished(s.tag(), model, done);
        synchronized (this) {
            sent.remove(s.tag());
            queue.putBack(again, clock.get());
            queue.released();
        }
        progress.finished(job, answered, s.requests().size() - answered);
        listener.batchFinished(model, job.status());
        LOG.infof("Batch %s of %s %s: %d of %d answered, %d sent again", job.id(), model,
                job.status().name().toLowerCase(java.util.Locale.ROOT), answered, s.requests().size(), again.size());
    }

    /**
     * Where a failed line goes: into a later batch (returns true), online, or back to its document
     * as the failure it would have been online (a window refusal, which the summarizer splits).
     */
    private boolean place(BatchApi.Result.Failed failed, Request r, List<Request> again) {
        if (r.call == null) {
            // No document waits for it yet (restored from the ledger); its document will ask again.
            synchronized (this) {
                requests.remove(r.id);
            }
            return false;
        }
        if (r.answer.isDone()) {
            return false;
        }
        LlmException e = failed.failure();
        String stage = r.call.stage();
        if (failed.notRun()) {
            if (settings.onlineWhenNotRun() || deadlinePassed && settings.onlineAtDeadline()) {
                goOnline(r);
                return false;
            }
            listener.line(model, stage, "resubmitted", null);
            again.add(r);
            return true;
        }
        boolean retryable = e.kind() == LlmException.Kind.UNAVAILABLE || e.kind() == LlmException.Kind.RATE_LIMITED;
        if (retryable && r.failures < settings.lineRetries()) {
            r.failures++;
            listener.line(model, stage, "retried", null);
            again.add(r);
            return true;
        }
        fail(r, e);
        return false;
    }

    /** A batch refused as a whole: for the enqueued-token quota, its requests wait for earlier batches; else they fail with its reason. */
    private void failedBatch(Sent s, BatchApi.Job job) {
        ledger.finished(s.tag(), model, s.requests().stream().map(r -> r.id).toList());
        synchronized (this) {
            sent.remove(s.tag());
        }
        listener.batchFinished(model, job.status());
        if (job.quotaRefused()) {
            progress.forget(job, s.requests().size());
            boolean others;
            synchronized (this) {
                others = !sent.isEmpty();
                queue.quotaRefused(s.requests(), job.failure(), others, clock.get());
            }
            LOG.warnf("Batch %s of %s was refused for the enqueued-token quota (%s); its %d requests wait %s", job.id(),
                    model, job.failure(), s.requests().size(), others ? "for earlier batches to finish"
                            : "and are sent again in " + settings.pollInterval());
            return;
        }
        LOG.warnf("Batch %s of %s failed validation: %s", job.id(), model, job.failure());
        progress.finished(job, 0, s.requests().size());
        LlmException e = new LlmException(LlmException.Kind.REJECTED, "The provider refused the batch " + job.id()
                + ": " + job.failure());
        s.requests().forEach(r -> {
            if (r.call == null) {
                synchronized (this) {
                    requests.remove(r.id);
                }
            } else {
                fail(r, e);
            }
        });
    }

    private void answer(Request r, LlmReply reply) {
        if (!reply.truncated()) {
            // Kept before anyone is told: a worker killed now still does not pay for it again. An answer
            // no document waits for yet (its batch was resumed) is kept apart, so that the document that
            // takes it is charged for it, once.
            store.save(r.call == null ? UNCLAIMED + r.id : r.id,
                    new PartialStore.Partial(reply.text(), reply.inputTokens(), reply.outputTokens()));
        }
        synchronized (this) {
            requests.remove(r.id);
        }
        listener.line(model, r.call == null ? "unknown" : r.call.stage(), "answered", reply);
        r.answer.complete(reply);
    }

    private void fail(Request r, LlmException e) {
        synchronized (this) {
            requests.remove(r.id);
        }
        listener.line(model, r.call == null ? "unknown" : r.call.stage(), "failed", null);
        r.answer.completeExceptionally(e);
    }

    private void goOnline(Request r) {
        synchronized (this) {
            requests.remove(r.id);
        }
        listener.line(model, r.call.stage(), "online", null);
        Thread.ofVirtual().name("precis-batch-online").start(() -> {
            try {
                r.answer.complete(online.complete(r.call));
            } catch (RuntimeException e) {
                r.answer.completeExceptionally(e);
            }
        });
    }

    /** At the deadline, what is still pending goes online (and its batches are cancelled), or keeps waiting. */
    private void checkDeadline(Instant now) {
        if (deadlinePassed || settings.deadline() == null || now.isBefore(settings.deadline())) {
            return;
        }
        deadlinePassed = true;
        List<Request> waiting = new ArrayList<>();
        List<Sent> batches;
        synchronized (this) {
            for (Request r : requests.values()) {
                if (r.call != null && !r.answer.isDone()) {
                    waiting.add(r);
                }
            }
            batches = new ArrayList<>(sent.values());
            queue.clear();
        }
        if (!settings.onlineAtDeadline()) {
            LOG.warnf("The batch deadline %s has passed with %d requests of %s pending; they keep waiting",
                    settings.deadline(), waiting.size(), model);
            return;
        }
        LOG.warnf("The batch deadline %s has passed: %d pending requests of %s are sent online, %d batches cancelled",
                settings.deadline(), waiting.size(), model, batches.size());
        waiting.forEach(this::goOnline);
        for (Sent s : batches) {
            try {
                api.cancel(s.batchId());
            } catch (LlmException e) {
                LOG.warnf("Batch %s of %s could not be cancelled: %s", s.batchId(), model, e.getMessage());
            }
        }
    }

    private void logProgress(Instant now) {
        int collecting;
        int batches;
        synchronized (this) {
            collecting = queue.size();
            batches = sent.size();
        }
        progress.log(now, batches, collecting);
    }

    /** Requests waiting for an answer: collecting or in a batch. */
    public synchronized int pendingRequests() {
        return requests.size();
    }

    /** Batches at the provider not yet finished. */
    public synchronized int pendingBatches() {
        return sent.size();
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
