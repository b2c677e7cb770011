package dev.precis.ingest;

import dev.precis.config.DirectLaneSwitch;
import dev.precis.config.Messaging;
import dev.precis.config.PrecisConfig;
import dev.precis.config.TracingSwitch;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import dev.precis.ops.metrics.PrecisMetrics;
import dev.precis.publish.delivery.ExactlyOnce;
import dev.precis.publish.delivery.InOrderBuffer;
import dev.precis.publish.delivery.RetryTopic;
import dev.precis.publish.delivery.TransactionalOutput;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
 * The input read and the outputs written by plain Kafka clients (see {@link DirectLaneSwitch} for
 * when). One thread polls and hands each record to a worker, up to the work allowed in flight; a
 * record waits for the one before it with the same key, and its output is sent in that order. A
 * partition's offsets are committed only past records whose outputs Kafka has acknowledged
 * ({@link PartitionProgress}); an output Kafka cannot take stops the reading, and once the work in
 * flight has ended every partition is read again from its oldest record not written. So a record is
 * never committed before its output is written, and a key's versions come out in input order.
 */
@ApplicationScoped
public class DirectLane {

    private static final Logger LOG = Logger.getLogger(DirectLane.class);
    private static final Duration POLL = Duration.ofMillis(500);
    // While work is open, a short poll: finished work should not wait long for its commit.
    private static final Duration OPEN_POLL = Duration.ofMillis(20);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MOST_BACKOFF = Duration.ofSeconds(30);
    // How long partitions being taken away wait for their work in flight before they go.
    private static final Duration REVOKE_WAIT = Duration.ofSeconds(10);
    private static final long COMMIT_EVERY_NANOS = Duration.ofMillis(200).toNanos();
    private static final long WORK_CHECK_NANOS = Duration.ofMillis(5).toNanos();
    static final String WORKERS = "smallrye.messaging.worker.precis-documents.max-concurrency";

    private final RecordProcessor processor;
    private final PrecisMetrics metrics;
    private final PrecisConfig config;
    private final Messaging messaging;
    private final Map<String, Object> kafka;
    private final Config settings;
    private final SameKeyOrder order = new SameKeyOrder();
    // Exactly-once: outputs and offsets are committed together in its transactions; null otherwise.
    private final TransactionalOutput transactions;
    private final RetryTopic retryTopic;
    private final DocumentTraces traces;
    // Read but not yet taken up, oldest first; and the records taken up, per partition.
    private final Deque<ConsumerRecord<byte[], byte[]>> waiting = new ArrayDeque<>();
    private final Map<TopicPartition, PartitionProgress> progress = new HashMap<>();
    // Offsets past outputs that are written, per partition: what may be committed.
    private final Map<TopicPartition, OffsetAndMetadata> written = new HashMap<>();
    private final AtomicInteger working = new AtomicInteger();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private Duration backoff = FIRST_BACKOFF;
    private long lastCommit;
    // Written offsets not yet committed.
    private boolean dirty;
    private volatile boolean running;
    private volatile String problem;
    private Thread thread;
    private volatile LaneConsumer input;
    private KafkaProducer<byte[], byte[]> producer;
    private ThreadPoolExecutor workers;
    private Semaphore slots;
    private int capacity;
    // Records read ahead of the workers before the partitions are paused: a poll's worth without a
    // model (each takes a fraction of a millisecond), as many as the workers with one.
    private int highWater;
    private OutputWriter writer;

    public DirectLane(RecordProcessor processor, PrecisMetrics metrics, PrecisConfig config, Messaging messaging,
            @Identifier("default-kafka-broker") Map<String, Object> kafka, Config settings, ExactlyOnce exactlyOnce,
            RetryTopic retryTopic, OpenTelemetry telemetry, Tracer tracer) {
        this.traces = settings.getOptionalValue(TracingSwitch.KAFKA_TRACING, Boolean.class).orElse(true)
                ? new DocumentTraces(telemetry, tracer) : null;
        this.transactions = exactlyOnce.output().orElse(null);
        this.retryTopic = retryTopic;
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
                && !settings.getOptionalValue(DirectLaneSwitch.CHANNEL_ENABLED, Boolean.class).orElse(true);
    }

    /** Documents worked on at once: the worker setting for a model, twice the processors without one. */
    public int capacity() {
        int processors = Runtime.getRuntime().availableProcessors();
        return config.summarizer() == PrecisConfig.SummarizerKind.EXTRACTIVE ? Math.max(2, 2 * processors)
                : settings.getOptionalValue(WORKERS, Integer.class).orElse(config.inFlight());
    }

    /** Null while the lane reads and writes; else what keeps it from doing so, in Kafka's words. */
    public String problem() {
        return running || thread == null ? problem : "The direct lane has stopped";
    }

    // Right after the embedded broker (when there is one) and the startup plan, before the other
    // start-up work: the first result is what a scale-from-zero waits for.
    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 10) StartupEvent event) {
        if (!active()) {
            return;
        }
        List<String> topics = new ArrayList<>(List.of(messaging.inputTopic()));
        if (retryTopic.enabled()) {
            // Records come back from the retry topics to the same workers, in the same group.
            topics.addAll(retryTopic.topics());
        }
        input = new LaneConsumer(DirectClients.consumer(kafka, settings, "precis-direct-" + messaging.groupId(),
                config.summarizer() == PrecisConfig.SummarizerKind.EXTRACTIVE), topics, new Partitions());
        producer = new KafkaProducer<>(DirectClients.producer(kafka, settings, "precis-direct-results"));
        capacity = capacity();
        boolean extractive = config.summarizer() == PrecisConfig.SummarizerKind.EXTRACTIVE;
        highWater = extractive ? 2 * DirectClients.MAX_POLL_RECORDS : capacity;
        slots = new Semaphore(capacity);
        AtomicInteger n = new AtomicInteger();
        workers = new ThreadPoolExecutor(capacity, capacity, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> Thread.ofPlatform().name("precis-work-" + n.incrementAndGet()).unstarted(r));
        workers.allowCoreThreadTimeOut(true);
        writer = new OutputWriter(processor, metrics, producer, workers, retryTopic, config.deadLetterTopic(),
                traces);
        running = true;
        thread = Thread.ofPlatform().name("precis-direct-lane").start(this::run);
        LOG.infof("Direct lane: reading %s as group %s (%s protocol), writing %s, %d documents at once "
                + "(precis.direct-lane=off reads through the channel)", messaging.inputTopic(), messaging.groupId(),
                input.protocol(), processor.resultsTopic(), capacity);
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
        if (!thread.join(config.shutdownGrace().plusSeconds(5))) {
            LOG.warnf("Stopping: the direct lane did not finish within %s; what is not committed is read again",
                    config.shutdownGrace());
        }
    }

    private void run() {
        try {
            input.subscribe();
            while (running) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    Duration wait = !waiting.isEmpty() ? Duration.ZERO : working.get() > 0 || dirty ? OPEN_POLL
                            : POLL;
                    records = input.get().poll(wait);
                } catch (WakeupException e) {
                    break;
                } catch (UnsupportedVersionException e) {
                    // The group hands out no partitions before the first poll: nothing was read yet.
                    input.classicProtocol(e, !progress.isEmpty() || !written.isEmpty());
                    continue;
                } catch (AuthenticationException | AuthorizationException e) {
                    problem = "Kafka refused the consumer: " + e.getMessage();
                    LOG.errorf("Direct lane: %s", problem);
                    pause();
                    continue;
                }
                records.forEach(waiting::addLast);
                takeUp();
                holdWhileFull();
                if (!settle()) {
                    readAgain();
                }
            }
            finish();
        } catch (RuntimeException e) {
            // A bug, not a document problem (those are dead letters or failed results): what is not
            // committed is read again by the next worker.
            LOG.errorf(e, "Direct lane: stopped by an unexpected error; the worker exits");
            running = false;
            Quarkus.asyncExit(1);
        } finally {
            workers.shutdownNow();
            producer.close(Duration.ofSeconds(10));
            input.close();
        }
    }

    /** Hands waiting records to workers while there is room; waits briefly for room when some are left. */
    private void takeUp() {
        while (!waiting.isEmpty()) {
            boolean room;
            try {
                room = slots.tryAcquire(waiting.size() > capacity ? 10 : 0, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!room) {
                return;
            }
            ConsumerRecord<byte[], byte[]> r = waiting.pollFirst();
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            PartitionProgress.Slot slot = progress.computeIfAbsent(tp, p -> new PartitionProgress()).add(r.offset());
            // Exactly-once writes each partition's outputs in input order, which orders a key's too.
            var transaction = transactions == null ? null : transactions.buffer().arrive(tp, r.offset());
            SameKeyOrder.Turn turn = transactions == null ? order.arrive(r.key()) : null;
            working.incrementAndGet();
            workers.execute(() -> work(r, slot, turn, transaction));
        }
    }

    private void work(ConsumerRecord<byte[], byte[]> r, PartitionProgress.Slot slot, SameKeyOrder.Turn turn,
            InOrderBuffer.Slot<TransactionalOutput.Output> transaction) {
        try {
            if (retryTopic.isRetryTopic(r.topic())) {
                awaitDue(r);
            }
            if (turn != null) {
                turn.awaitPrevious();
            }
            writer.write(r, slot, transaction);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            slot.failed("Interrupted");
        } catch (RuntimeException | Error e) {
            LOG.errorf(e, "Direct lane: record %s-%d@%d could not be processed", r.topic(), r.partition(), r.offset());
            slot.failed("Processing failed: " + e);
        } finally {
            // The output is in the producer's queue: a later version of the key is sent after it.
            if (turn != null) {
                turn.end();
            }
            working.decrementAndGet();
            slots.release();
        }
    }

    /** A record in a retry topic waits there its topic's delay from when it was written. */
    private void awaitDue(ConsumerRecord<byte[], byte[]> r) throws InterruptedException {
        long due = r.timestamp() + RetryTopic.delayMillis(r.topic());
        long left;
        while ((left = due - System.currentTimeMillis()) > 0) {
            if (stopping.await(left, TimeUnit.MILLISECONDS)) {
                // Stopping: left uncommitted, it is read again (and waits again) after the restart.
                throw new InterruptedException("stopping");
            }
        }
    }

    /** With more read than the workers can take, the partitions are paused; the poll keeps the group. */
    private void holdWhileFull() {
        var consumer = input.get();
        if (waiting.size() > highWater) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    /** Commits past what is written; false when an output could not be written. */
    private boolean settle() {
        for (Map.Entry<TopicPartition, PartitionProgress> e : progress.entrySet()) {
            long next = e.getValue().advance();
            if (next >= 0) {
                OffsetAndMetadata before = written.put(e.getKey(), new OffsetAndMetadata(next));
                dirty |= before == null || before.offset() != next;
            }
            if (e.getValue().failedAtFront() != null) {
                problem = e.getValue().failedAtFront().failure();
                return false;
            }
        }
        long now = System.nanoTime();
        boolean idle = working.get() == 0 && waiting.isEmpty();
        if (transactions != null) {
            // The transactions commit the offsets with the outputs.
            dirty = false;
        } else if (dirty && (idle || now - lastCommit >= COMMIT_EVERY_NANOS)) {
            problem = null;
            backoff = FIRST_BACKOFF;
            lastCommit = now;
            dirty = false;
            commitAsync();
        }
        return true;
    }

    /**
     * An output could not be written: nothing more is taken up; once the work in flight has ended,
     * every partition is read again from its oldest record not written (records written after it
     * are written again: duplicates, never a loss).
     */
    private void readAgain() {
        LOG.errorf("Direct lane: %s; reading again from the oldest record not written", problem);
        var consumer = input.get();
        consumer.pause(consumer.assignment());
        waiting.clear();
        awaitWork(null);
        producer.flush();
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        progress.forEach((tp, p) -> {
            long from = p.readAgainFrom();
            if (from >= 0 && consumer.assignment().contains(tp)) {
                consumer.seek(tp, from);
                commit.put(tp, new OffsetAndMetadata(from));
            }
        });
        progress.clear();
        written.putAll(commit);
        commitSync(commit);
        pause();
        consumer.resume(consumer.paused());
    }

    /**
     * Waits for the work in flight (of {@code partitions}, or all when null), for the shutdown grace
     * at most (a while only for partitions being taken away). The consumer keeps its group meanwhile
     * from its own heartbeat thread.
     */
    private void awaitWork(Collection<TopicPartition> partitions) {
        long deadline = System.nanoTime() + (partitions == null ? config.shutdownGrace() : REVOKE_WAIT).toNanos();
        while (System.nanoTime() < deadline) {
            boolean open = partitions == null ? working.get() > 0
                    : partitions.stream().map(progress::get).anyMatch(p -> p != null && !p.settled());
            if (!open) {
                return;
            }
            LockSupport.parkNanos(WORK_CHECK_NANOS);
        }
    }

    /** The end: nothing new is taken up, the work in flight may finish within the grace, then the last commit. */
    private void finish() {
        waiting.clear();
        int open = working.get();
        if (open > 0) {
            LOG.infof("Stopping: waiting up to %s for %d documents in flight", config.shutdownGrace(), open);
        }
        awaitWork(null);
        producer.flush();
        settle();
        if (transactions != null) {
            transactions.commitReady();
        } else {
            commitSync(new HashMap<>(written));
        }
        if (working.get() > 0) {
            LOG.warnf("Stopping: %d documents did not finish within %s; they will be read again", working.get(),
                    config.shutdownGrace());
        }
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
            waiting.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
            // Work still open for them is waited for a while, so that what is written is committed.
            awaitWork(partitions);
            if (transactions != null) {
                // What is ready is committed while the partitions are still ours; the rest is dropped.
                transactions.revoked(partitions, input.get().groupMetadata());
                partitions.forEach(progress::remove);
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> leaving = new HashMap<>();
            partitions.forEach(tp -> {
                PartitionProgress p = progress.remove(tp);
                long next = p == null ? -1 : p.advance();
                if (next >= 0) {
                    written.put(tp, new OffsetAndMetadata(next));
                }
                OffsetAndMetadata o = written.remove(tp);
                if (o != null) {
                    leaving.put(tp, o);
                }
            });
            commitSync(leaving);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (transactions != null) {
                transactions.assigned(input.get().groupMetadata());
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            waiting.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
            partitions.forEach(tp -> {
                progress.remove(tp);
                written.remove(tp);
            });
            if (transactions != null) {
                // No longer ours: nothing of them may be committed.
                transactions.buffer().drop(partitions).forEach(Runnable::run);
            }
        }
    }
}
