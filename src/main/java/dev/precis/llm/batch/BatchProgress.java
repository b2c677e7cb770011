package dev.precis.llm.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Counts a model's batch requests (submitted, completed, failed, in total and per batch) and logs
 * where they stand while batches are pending, with the time left: to the deadline, and as the
 * finished batches so far suggest.
 */
final class BatchProgress {

    private static final Logger LOG = Logger.getLogger(BatchProgress.class);

    private final String model;
    private final BatchSettings settings;
    private final Supplier<Instant> clock;
    private final Map<String, BatchApi.Job> lastSeen = new HashMap<>();
    private long submitted;
    private long completed;
    private long failed;
    private long finishedBatches;
    private Duration batchTime = Duration.ZERO;
    private Instant lastLog = Instant.MIN;

    BatchProgress(String model, BatchSettings settings, Supplier<Instant> clock) {
        this.model = model;
        this.settings = settings;
        this.clock = clock;
    }

    /** Requests sent, by this run or (resumed) by an earlier one. */
    synchronized void submitted(int requests) {
        submitted += requests;
    }

    /** A batch that ended without answers to count (refused for the quota, its requests sent again). */
    synchronized void forget(BatchApi.Job job, int requests) {
        lastSeen.remove(job.id());
        submitted -= requests;
    }

    synchronized void status(BatchApi.Job job) {
        BatchApi.Job before = lastSeen.put(job.id(), job);
        if (before == null || before.status() != job.status() || before.completed() != job.completed()
                || before.failed() != job.failed()) {
            LOG.infof("Batch %s of %s: %s, %d of %d requests done, %d failed", job.id(), model,
                    job.status().name().toLowerCase(java.util.Locale.ROOT), job.completed(), job.total(), job.failed());
        }
    }

    synchronized void finished(BatchApi.Job job, int answered, int notAnswered) {
        lastSeen.remove(job.id());
        completed += answered;
        failed += notAnswered;
        finishedBatches++;
        if (job.createdAt() != null) {
            batchTime = batchTime.plus(Duration.between(job.createdAt(), clock.get()));
        }
    }

    synchronized void log(Instant now, int pendingBatches, int collecting) {
        if (pendingBatches == 0 && collecting == 0 || now.isBefore(lastLog.plus(settings.progressInterval()))) {
            return;
        }
        lastLog = now;
        long running = lastSeen.values().stream().mapToLong(j -> j.total() - j.completed() - j.failed()).sum();
        StringBuilder left = new StringBuilder();
        if (finishedBatches > 0) {
            Duration typical = batchTime.dividedBy(finishedBatches);
            Instant oldest = lastSeen.values().stream().map(BatchApi.Job::createdAt).filter(java.util.Objects::nonNull)
                    .min(Instant::compareTo).orElse(now);
            Duration rest = typical.minus(Duration.between(oldest, now));
            left.append(", about ").append(round(rest.isNegative() ? Duration.ZERO : rest)).append(" left by the batches so far");
        }
        if (settings.deadline() != null) {
            left.append(", deadline in ").append(round(Duration.between(now, settings.deadline())));
        }
        LOG.infof("Batch API %s: %d batches pending (%d requests not yet run), %d requests collecting; in total %d "
                + "submitted, %d completed, %d failed%s", model, pendingBatches, running, collecting, submitted, completed,
                failed, left);
    }

    private static String round(Duration d) {
        return d.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
