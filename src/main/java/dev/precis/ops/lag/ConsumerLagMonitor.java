package dev.precis.ops.lag;

import dev.precis.config.PrecisConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Publishes the consumer group's lag per partition ({@code precis.consumer.lag}): end offset minus
 * committed offset, read at a fixed interval. This is the lag an autoscaler sees, and it keeps
 * growing when the worker is stuck, unlike the consumer's own fetch metrics.
 */
@ApplicationScoped
public class ConsumerLagMonitor {

    private static final Logger LOG = Logger.getLogger(ConsumerLagMonitor.class);

    private final Map<TopicPartition, AtomicLong> lag = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;
    private GroupOffsets offsets;

    @Inject
    MeterRegistry registry;

    @Inject
    PrecisConfig config;

    @Inject
    InputTopic input;

    void start(@Observes StartupEvent event) {
        offsets = input.offsets("precis-lag-monitor");
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "precis-lag-monitor"));
        long every = config.lagInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
            offsets.close();
        }
    }

    private void refresh() {
        try {
            Map<TopicPartition, Long> committed = offsets.committed();
            offsets.ends().forEach((tp, end) -> lag.computeIfAbsent(tp, this::register)
                    .set(Math.max(0, end - committed.getOrDefault(tp, 0L))));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.debugf("Consumer lag not read this time: %s", e.toString());
        }
    }

    private AtomicLong register(TopicPartition tp) {
        AtomicLong value = new AtomicLong();
        Gauge.builder("precis.consumer.lag", value, AtomicLong::get)
                .description("Records in the input partition not yet committed by the consumer group")
                .tag("topic", tp.topic()).tag("partition", Integer.toString(tp.partition()))
                .register(registry);
        return value;
    }
}
