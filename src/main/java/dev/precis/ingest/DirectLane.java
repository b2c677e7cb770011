package dev.precis.ingest;

import dev.precis.config.DirectLaneSwitch;
import dev.precis.config.Messaging;
import dev.precis.config.PrecisConfig;
import dev.precis.ops.metrics.PrecisMetrics;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.WakeupException;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * The input read and the results written by plain Kafka clients, a poll at a time, when no model
 * call can keep a record waiting (see {@link DirectLaneSwitch}). Each poll's records are processed
 * in partition order on one thread, their outputs (results and dead letters, the same records the
 * channel writes) sent, and the poll's offsets committed only once every output is acknowledged;
 * an output Kafka cannot take is retried from the poll's first offsets. So a record is never
 * committed before its output is written, and a key's versions come out in input order.
 */
@ApplicationScoped
public class DirectLane {

    private static final Logger LOG = Logger.getLogger(DirectLane.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration MOST_BACKOFF = Duration.ofSeconds(30);

    private final RecordProcessor processor;
    private final PrecisMetrics metrics;
    private final PrecisConfig config;
    private final Messaging messaging;
    private final Map<String, Object> kafka;
    private final Config settings;
    // Offsets past outputs that are written, per partition: what may be committed.
    private final Map<TopicPartition, OffsetAndMetadata> written = new HashMap<>();
    private volatile boolean running;
    private volatile String problem;
    private Thread thread;
    private KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> producer;
    private PollWriter writer;

    public DirectLane(RecordProcessor processor, PrecisMetrics metrics, PrecisConfig config, Messaging messaging,
            @Identifier("default-kafka-broker") Map<String, Object> kafka, Config settings) {
        this.processor = processor;
        this.metrics = metrics;
        this.config = config;
        this.messaging = messaging;
        this.kafka = kafka;
        this.settings = settings;
    }

    /** Whether the lane reads the input: the switch disabled the channel for it. */
    public boolean active() {
        return config.directLane() != PrecisConfig.DirectLaneChoice.OFF
                && config.summarizer() == PrecisConfig.SummarizerKind.EXTRACTIVE
                && !settings.getOptionalValue(DirectLaneSwitch.CHANNEL_ENABLED, Boolean.class).orElse(true);
    }

    /** Null while the lane reads and writes; else what keeps it from doing so, in Kafka's words. */
    public String problem() {
        return running || thread == null ? problem : "The direct lane has stopped";
    }

    // Right after the embedded broker (when there is one) and before the other start-up work: the
    // first result is what a scale-from-zero waits for.
    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 10) StartupEvent event) {
        if (!active()) {
            return;
        }
        consumer = new KafkaConsumer<>(DirectClients.consumer(kafka, settings, "precis-direct-" + messaging.groupId()));
        producer = new KafkaProducer<>(DirectClients.producer(kafka, settings, "precis-direct-results"));
        writer = new PollWriter(processor, metrics, producer);
        running = true;
        thread = Thread.ofPlatform().name("precis-direct-lane").start(this::run);
        LOG.infof("Direct lane: reading %s as group %s, writing %s, a poll at a time (precis.direct-lane=off "
                + "reads through the channel)", messaging.inputTopic(), messaging.groupId(), processor.resultsTopic());
    }

    // Before the graceful stop, which then finds nothing in flight.
    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE - 1) ShutdownEvent event)
            throws InterruptedException {
        if (thread == null) {
            return;
        }
        running = false;
        try {
            consumer.wakeup();
        } catch (RuntimeException e) {
            // Closed already: the lane stopped by itself.
        }
        if (!thread.join(config.shutdownGrace())) {
            LOG.warnf("Stopping: the direct lane did not finish its poll within %s; it will be redelivered",
                    config.shutdownGrace());
        }
    }

    private void run() {
        Duration backoff = Duration.ofMillis(500);
        try {
            consumer.subscribe(List.of(messaging.inputTopic()), new Partitions());
            while (running) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(POLL);
                } catch (WakeupException e) {
                    break;
                } catch (AuthenticationException | AuthorizationException e) {
                    problem = "Kafka refused the consumer: " + e.getMessage();
                    LOG.errorf("Direct lane: %s", problem);
                    backoff = pause(backoff);
                    continue;
                }
                if (records.isEmpty()) {
                    continue;
                }
                String failed = writer.write(records);
                if (failed == null) {
                    problem = null;
                    backoff = Duration.ofMillis(500);
                    for (TopicPartition tp : records.partitions()) {
                        written.put(tp, new OffsetAndMetadata(records.records(tp).getLast().offset() + 1));
                    }
                    commitAsync();
                } else {
                    problem = failed;
                    LOG.errorf("Direct lane: %s; the poll is read again", failed);
                    // Nothing of this poll is committed; it is read and written again.
                    for (TopicPartition tp : records.partitions()) {
                        consumer.seek(tp, records.records(tp).getFirst().offset());
                    }
                    backoff = pause(backoff);
                }
            }
            commitSync(new HashMap<>(written));
        } catch (RuntimeException e) {
            // A bug, not a document problem (those are dead letters or failed results): what is not
            // committed is read again by the next worker.
            LOG.errorf(e, "Direct lane: stopped by an unexpected error; the worker exits");
            running = false;
            Quarkus.asyncExit(1);
        } finally {
            producer.close(Duration.ofSeconds(10));
            consumer.close();
        }
    }

    private void commitAsync() {
        consumer.commitAsync(new HashMap<>(written), (offsets, e) -> {
            if (e != null) {
                // The next commit covers these offsets; a rebalance commits them synchronously.
                LOG.debugf("Direct lane: a commit did not go through (%s)", e.toString());
            }
        });
    }

    private void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            try {
                consumer.commitSync(offsets);
            } catch (WakeupException e) {
                // The stop's wake-up was still pending; the commit itself is wanted.
                consumer.commitSync(offsets);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Direct lane: the last commit failed (%s); the records after the last commit are read again",
                    e.toString());
        }
    }

    private Duration pause(Duration backoff) {
        try {
            Thread.sleep(backoff);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
        Duration next = backoff.multipliedBy(2);
        return next.compareTo(MOST_BACKOFF) > 0 ? MOST_BACKOFF : next;
    }

    /** Runs inside poll, on the lane's thread: partitions leaving take their written offsets along. */
    private final class Partitions implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> leaving = new HashMap<>();
            partitions.forEach(tp -> {
                OffsetAndMetadata o = written.remove(tp);
                if (o != null) {
                    leaving.put(tp, o);
                }
            });
            commitSync(leaving);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(written::remove);
        }
    }
}
