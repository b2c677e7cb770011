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
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * The input read and the results written by plain Kafka clients, a poll at a time, when no model
 * call can keep a record waiting (see {@link DirectLaneSwitch}). Each poll's records are processed
 * in partition order on one thread and their outputs (results and dead letters, the same records
 * the channel writes) sent; while Kafka writes them the lane goes on with the next polls, up to a
 * few. A poll's offsets are committed only once every output of it and of the polls before it is
 * acknowledged; an output Kafka cannot take has its poll, and those after it, read again from their
 * first offsets. So a record is never committed before its output is written, and a key's versions
 * come out in input order.
 */
@ApplicationScoped
public class DirectLane {

    private static final Logger LOG = Logger.getLogger(DirectLane.class);
    private static final Duration POLL = Duration.ofMillis(500);
    // While outputs are open, a short poll: an idle input should not hold their commit long.
    private static final Duration OPEN_POLL = Duration.ofMillis(50);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MOST_BACKOFF = Duration.ofSeconds(30);
    // Polls whose outputs may be on their way at once, before the lane waits for the oldest.
    private static final int MOST_OPEN = 4;

    private final RecordProcessor processor;
    private final PrecisMetrics metrics;
    private final PrecisConfig config;
    private final Messaging messaging;
    private final Map<String, Object> kafka;
    private final Config settings;
    // Offsets past outputs that are written, per partition: what may be committed.
    private final Map<TopicPartition, OffsetAndMetadata> written = new HashMap<>();
    // Polls sent but not yet known to be written, oldest first.
    private final Deque<SentPoll> open = new ArrayDeque<>();
    private Duration backoff = FIRST_BACKOFF;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean running;
    private volatile String problem;
    private Thread thread;
    private volatile LaneConsumer input;
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
        input = new LaneConsumer(DirectClients.consumer(kafka, settings, "precis-direct-" + messaging.groupId()),
                messaging.inputTopic(), new Partitions());
        producer = new KafkaProducer<>(DirectClients.producer(kafka, settings, "precis-direct-results"));
        // Documents do not depend on each other: a poll's records are processed on every processor.
        int threads = Runtime.getRuntime().availableProcessors();
        writer = new PollWriter(processor, metrics, producer, threads);
        running = true;
        thread = Thread.ofPlatform().name("precis-direct-lane").start(this::run);
        LOG.infof("Direct lane: reading %s as group %s (%s protocol), writing %s, a poll at a time on %d "
                + "threads (precis.direct-lane=off reads through the channel)", messaging.inputTopic(),
                messaging.groupId(), input.protocol(),
                processor.resultsTopic(), threads);
    }

    // Before the graceful stop, which then finds nothing in flight.
    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE - 1) ShutdownEvent event)
            throws InterruptedException {
        if (thread == null) {
            return;
        }
        running = false;
        stopping.countDown();
        input.wakeup();
        if (!thread.join(config.shutdownGrace())) {
            LOG.warnf("Stopping: the direct lane did not finish its poll within %s; it will be redelivered",
                    config.shutdownGrace());
        }
    }

    private void run() {
        try {
            input.subscribe();
            while (running) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = input.get().poll(open.isEmpty() ? POLL : OPEN_POLL);
                } catch (WakeupException e) {
                    break;
                } catch (UnsupportedVersionException e) {
                    // The group hands out no partitions before the first poll: nothing was read yet.
                    input.classicProtocol(e, !open.isEmpty() || !written.isEmpty());
                    continue;
                } catch (AuthenticationException | AuthorizationException e) {
                    problem = "Kafka refused the consumer: " + e.getMessage();
                    LOG.errorf("Direct lane: %s", problem);
                    pause();
                    continue;
                }
                if (!records.isEmpty()) {
                    open.addLast(writer.send(records));
                }
                // With nothing new to read, what is open is waited for: its commit should not wait
                // for the next record.
                if (!settle(records.isEmpty() ? 0 : MOST_OPEN)) {
                    pause();
                }
            }
            settle(0);
            commitSync(new HashMap<>(written));
        } catch (RuntimeException e) {
            // A bug, not a document problem (those are dead letters or failed results): what is not
            // committed is read again by the next worker.
            LOG.errorf(e, "Direct lane: stopped by an unexpected error; the worker exits");
            running = false;
            Quarkus.asyncExit(1);
        } finally {
            writer.close();
            producer.close(Duration.ofSeconds(10));
            input.close();
        }
    }

    /**
     * Settles the open polls, oldest first: those Kafka has answered for, and the oldest ones
     * (waiting for them) while more than {@code keep} are open. False when one could not be
     * written: nothing from it on is committed, and it is read again.
     */
    private boolean settle(int keep) {
        boolean settled = false;
        while (!open.isEmpty() && (open.size() > keep || open.peekFirst().done())) {
            SentPoll oldest = open.pollFirst();
            String failed = writer.settle(oldest);
            if (failed != null) {
                readAgain(oldest, failed);
                return false;
            }
            oldest.next().forEach((tp, offset) -> written.put(tp, new OffsetAndMetadata(offset)));
            settled = true;
        }
        if (settled) {
            problem = null;
            backoff = FIRST_BACKOFF;
            commitAsync();
        }
        return true;
    }

    private void readAgain(SentPoll failedPoll, String failed) {
        problem = failed;
        LOG.errorf("Direct lane: %s; the records from that poll on are read again", failed);
        // What is still on its way lands before anything is written again, so a key's versions
        // are not interleaved with their second writing.
        producer.flush();
        Map<TopicPartition, Long> from = SentPoll.readAgainFrom(failedPoll, open);
        open.clear();
        Set<TopicPartition> assigned = input.get().assignment();
        from.forEach((tp, offset) -> {
            if (assigned.contains(tp)) {
                input.get().seek(tp, offset);
            }
        });
    }

    private void commitAsync() {
        input.get().commitAsync(new HashMap<>(written), (offsets, e) -> {
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
                input.get().commitSync(offsets);
            } catch (WakeupException e) {
                // The stop's wake-up was still pending; the commit itself is wanted.
                input.get().commitSync(offsets);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Direct lane: the last commit failed (%s); the records after the last commit are read again",
                    e.toString());
        }
    }

    private void pause() {
        try {
            // A stop ends the pause at once: the consumer, whose own thread keeps reconnecting
            // (the consumer group protocol's), is closed right after.
            if (stopping.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                running = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
        Duration next = backoff.multipliedBy(2);
        backoff = next.compareTo(MOST_BACKOFF) > 0 ? MOST_BACKOFF : next;
    }

    /** Runs inside poll, on the lane's thread: partitions leaving take their written offsets along. */
    private final class Partitions implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Outputs still on their way are waited for, so that what is written is committed.
            settle(0);
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
            settle(0);
            partitions.forEach(written::remove);
        }
    }
}
