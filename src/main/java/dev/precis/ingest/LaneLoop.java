package dev.precis.ingest;

import dev.precis.config.PrecisConfig;
import dev.precis.publish.delivery.TransactionalOutput;
import io.quarkus.runtime.Quarkus;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The engine's polling thread. It hands each record to a worker ({@link LaneWorkers}), up to the
 * work allowed in flight, pausing the partitions while the workers are full; it commits a
 * partition's offsets only past records whose outputs Kafka has acknowledged ({@link LaneOffsets});
 * an output Kafka cannot take stops the reading, and once the work in flight has ended every
 * partition is read again from its oldest record not written.
 */
final class LaneLoop {

    private static final Logger LOG = Logger.getLogger(LaneLoop.class);
    private static final Duration POLL = Duration.ofMillis(500);
    // While work is open, a short poll: finished work should not wait long for its commit.
    private static final Duration OPEN_POLL = Duration.ofMillis(20);
    private static final long ROOM_WAIT_MILLIS = OPEN_POLL.toMillis();
    private static final long COMMIT_EVERY_NANOS = Duration.ofMillis(200).toNanos();
    private static final long POLL_AT_LEAST_NANOS = Duration.ofMillis(100).toNanos();

    /** What the loop reads with, writes with and works on. */
    record Parts(LaneConsumer.Factory input, KafkaProducer<byte[], byte[]> producer, LaneWorkers.Factory workers,
            TransactionalOutput transactions, int highWater) {
    }

    private final PrecisConfig config;
    // Exactly-once: outputs and offsets are committed together in its transactions; null otherwise.
    private final TransactionalOutput transactions;
    private final KafkaProducer<byte[], byte[]> producer;
    private final LaneConsumer input;
    private final LaneWorkers workers;
    // Records read ahead of the workers before the partitions are paused.
    private final int highWater;
    // Read but not yet taken up, oldest first.
    private final Deque<ConsumerRecord<byte[], byte[]>> waiting = new ArrayDeque<>();
    private final LaneOffsets offsets = new LaneOffsets();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final LaneBackoff backoff = new LaneBackoff(stopping);
    private long lastCommit;
    private long lastPoll;
    private volatile boolean running = true;
    private volatile String problem;

    LaneLoop(PrecisConfig config, Parts parts) {
        this.config = config;
        this.transactions = parts.transactions();
        this.producer = parts.producer();
        this.highWater = parts.highWater();
        this.input = parts.input().create(new LanePartitions(this, offsets, transactions));
        this.workers = parts.workers().create(stopping);
    }

    /** The consumer; null only while it is being made. */
    LaneConsumer input() {
        return input;
    }

    /** Null while the loop reads and writes; else what keeps it from doing so, in Kafka's words. */
    String problem() {
        return running ? problem : "The direct lane has stopped";
    }

    /** Ends the loop: nothing new is taken up, the work in flight may finish within the grace. */
    void stop() {
        running = false;
        stopping.countDown();
        input.wakeup();
    }

    void run() {
        try {
            input.subscribe();
            while (running) {
                ConsumerRecords<byte[], byte[]> records = ConsumerRecords.empty();
                try {
                    Duration wait = !waiting.isEmpty() ? Duration.ZERO
                            : workers.working() > 0 || offsets.dirty() ? OPEN_POLL : POLL;
                    // With plenty read ahead, the consumer is asked again only now and then: each poll
                    // costs its background thread a round, and nothing new could be taken up anyway.
                    if (waiting.size() < highWater / 2 || System.nanoTime() - lastPoll >= POLL_AT_LEAST_NANOS) {
                        records = input.get().poll(wait);
                        lastPoll = System.nanoTime();
                    }
                } catch (WakeupException e) {
                    break;
                } catch (UnsupportedVersionException e) {
                    // The group hands out no partitions before the first poll: nothing was read yet.
                    input.classicProtocol(e, offsets.anything());
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
        } catch (RuntimeException | Error e) {
            // A bug or the JVM's own trouble, not a document problem (those are dead letters or failed
            // results): the worker exits, and what is not committed is read again by the next one.
            LOG.errorf(e, "Direct lane: stopped by an unexpected error; the worker exits");
            running = false;
            Quarkus.asyncExit(1);
        } finally {
            workers.shutdown();
            producer.close(Duration.ofSeconds(10));
            input.close();
        }
    }

    /**
     * Hands waiting records to workers while there is room, waiting for it once (20 ms at most): polling
     * again at once spun on the consumer, waiting for each record held back the commit of finished work.
     */
    private void takeUp() {
        long wait = ROOM_WAIT_MILLIS;
        while (!waiting.isEmpty() && workers.reserve(wait)) {
            wait = 0;
            ConsumerRecord<byte[], byte[]> r = waiting.pollFirst();
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            PartitionProgress.Slot slot = offsets.take(tp, r.offset());
            if (transactions == null && slot.isWritten()) {
                // Its output was written before the partition changed hands: not summarized again.
                workers.release();
                continue;
            }
            workers.start(r, slot, transactions == null ? null : transactions.buffer().arrive(tp, r.offset()));
        }
    }

    /** With more read than the workers can take, the partitions are paused; the poll keeps the group. */
    private void holdWhileFull() {
        var consumer = input.get();
        if (waiting.size() > highWater) {
            // Pausing what is paused already would cost the consumer's background thread a round.
            if (!consumer.paused().containsAll(consumer.assignment())) {
                consumer.pause(consumer.assignment());
            }
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    /** Commits past what is written; false when an output could not be written. */
    private boolean settle() {
        String failed = offsets.advance();
        if (failed != null) {
            problem = failed;
            return false;
        }
        long now = System.nanoTime();
        boolean idle = workers.working() == 0 && waiting.isEmpty();
        if (transactions != null) {
            // The transactions commit the offsets with the outputs.
            offsets.committedElsewhere();
        } else if (offsets.dirty() && (idle || now - lastCommit >= COMMIT_EVERY_NANOS)) {
            problem = null;
            backoff.reset();
            lastCommit = now;
            input.commitAsync(offsets.toCommit());
        }
        return true;
    }

    /**
     * An output could not be written: nothing more is taken up; once the work in flight has ended,
     * every partition is read again from its oldest record not written (those written after it are
     * skipped when they come again).
     */
    private void readAgain() {
        if (transactions != null) {
            // Exactly-once: the partition's later outputs wait in its transaction line behind this
            // one; the worker stops and resumes from the last transaction, as when one fails.
            throw new IllegalStateException("Exactly-once: " + problem);
        }
        LOG.errorf("Direct lane: %s; reading again from the oldest record not written", problem);
        var consumer = input.get();
        consumer.pause(consumer.assignment());
        waiting.clear();
        awaitWork(null, config.shutdownGrace());
        producer.flush();
        Map<TopicPartition, OffsetAndMetadata> from = offsets.readAgain(consumer.assignment());
        from.forEach((tp, o) -> consumer.seek(tp, o.offset()));
        input.commitSync(from);
        pause();
        consumer.resume(consumer.paused());
    }

    /** Waits for the work in flight of {@code partitions} (all when null) for {@code grace} at most. */
    void awaitWork(Collection<TopicPartition> partitions, Duration grace) {
        workers.await(partitions, offsets, grace);
    }

    /** The end: nothing new is taken up, the work in flight may finish within the grace, then the last commit. */
    private void finish() {
        waiting.clear();
        int open = workers.working();
        if (open > 0) {
            LOG.infof("Stopping: waiting up to %s for %d documents in flight", config.shutdownGrace(), open);
        }
        awaitWork(null, config.shutdownGrace());
        producer.flush();
        settle();
        if (transactions != null) {
            transactions.commitReady();
        } else {
            input.commitSync(offsets.toCommit());
        }
        if (workers.working() > 0) {
            LOG.warnf("Stopping: %d documents did not finish within %s; they will be read again", workers.working(),
                    config.shutdownGrace());
        }
    }

    private void pause() {
        if (!backoff.await()) {
            running = false;
        }
    }

    /** Drops the records read but not taken up of partitions that are no longer this worker's. */
    void forget(Collection<TopicPartition> partitions) {
        waiting.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
    }
}
