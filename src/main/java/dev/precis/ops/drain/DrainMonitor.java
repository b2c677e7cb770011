package dev.precis.ops.drain;

import dev.precis.config.PrecisConfig;
import dev.precis.ops.lag.GroupOffsets;
import dev.precis.ops.lag.InputTopic;
import dev.precis.ops.metrics.PrecisMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The nightly-batch mode ({@code precis.drain.enabled}): notes the input topic's end offsets at
 * startup, reports progress (processed, remaining, rate, time to finish) in the log and as metrics,
 * and exits 0 once the group has committed up to those offsets with nothing in flight.
 */
@ApplicationScoped
public class DrainMonitor {

    private static final Logger LOG = Logger.getLogger(DrainMonitor.class);
    private static final long CHECK_MILLIS = 1_000;

    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong remaining = new AtomicLong(-1);
    private ScheduledExecutorService scheduler;
    private GroupOffsets offsets;
    private Map<TopicPartition, Long> targets;
    private Map<TopicPartition, Long> startedAt;
    private long startNanos;
    private long lastReport;

    @Inject
    PrecisConfig config;

    @Inject
    PrecisMetrics metrics;

    @Inject
    MeterRegistry registry;

    @Inject
    InputTopic input;

    void start(@Observes StartupEvent event) {
        if (!config.drain().enabled()) {
            return;
        }
        Gauge.builder("precis.drain.processed", processed, AtomicLong::get)
                .description("Records of this batch run committed so far").register(registry);
        Gauge.builder("precis.drain.remaining", remaining, AtomicLong::get)
                .description("Records left before this batch run is drained").register(registry);
        offsets = input.offsets("precis-batch");
        startNanos = System.nanoTime();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "precis-batch"));
        scheduler.scheduleWithFixedDelay(this::check, 0, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
            offsets.close();
        }
    }

    private void check() {
        try {
            if (targets == null) {
                targets = offsets.ends();
                Map<TopicPartition, Long> committed = offsets.committed();
                Map<TopicPartition, Long> logStarts = offsets.starts();
                startedAt = new java.util.HashMap<>();
                targets.keySet().forEach(tp -> startedAt.put(tp,
                        Math.max(committed.getOrDefault(tp, 0L), logStarts.getOrDefault(tp, 0L))));
                LOG.infof("Batch run: draining %d records of topic %s up to the offsets seen at startup",
                        sum(targets, startedAt), input.topic());
            }
            Map<TopicPartition, Long> committed = offsets.committed();
            processed.set(sum(committed, startedAt));
            remaining.set(sum(targets, committed));
            report(false);
            if (remaining.get() == 0 && metrics.documentsInFlight() == 0) {
                report(true);
                scheduler.shutdown();
                Quarkus.asyncExit(0);
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // The topic may not exist yet (nothing to do) or the broker may be briefly unreachable.
            LOG.debugf("Batch progress not read this time: %s", e.toString());
        }
    }

    private void report(boolean done) {
        long now = System.nanoTime();
        if (!done && now - lastReport < config.drain().progressInterval().toNanos()) {
            return;
        }
        lastReport = now;
        double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
        double rate = processed.get() / seconds;
        String eta = rate > 0 ? Duration.ofSeconds((long) (remaining.get() / rate)).toString() : "unknown";
        if (done) {
            LOG.infof("Batch run drained: %d records in %.1f s (%.1f/s); exiting", processed.get(), seconds, rate);
        } else {
            LOG.infof("Batch progress: processed %d, remaining %d, %.1f records/s, time to finish %s",
                    processed.get(), remaining.get(), rate, eta);
        }
    }

    /** Sum over partitions of max(0, a - b). */
    private static long sum(Map<TopicPartition, Long> a, Map<TopicPartition, Long> b) {
        long total = 0;
        for (Map.Entry<TopicPartition, Long> e : a.entrySet()) {
            total += Math.max(0, e.getValue() - b.getOrDefault(e.getKey(), 0L));
        }
        return total;
    }
}
