package dev.precis.ingest;

import dev.precis.publish.delivery.InOrderBuffer;
import dev.precis.publish.delivery.RetryTopic;
import dev.precis.publish.delivery.TransactionalOutput;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The threads that process records for the lane, as many at once as the work allowed in flight.
 * Platform threads, not virtual ones: a model call may wait in a synchronized block, which on JDK 21
 * would pin a virtual thread's carrier. A record waits for the one before it with the same key, and
 * a record from a retry topic for its delay.
 */
final class LaneWorkers {

    /** Makes the workers once the loop's stop signal exists (a retry record's wait ends on it). */
    interface Factory {
        LaneWorkers create(CountDownLatch stopping);
    }

    private static final Logger LOG = Logger.getLogger(LaneWorkers.class);
    private static final long WORK_CHECK_NANOS = Duration.ofMillis(5).toNanos();

    private final SameKeyOrder order = new SameKeyOrder();
    private final Semaphore room;
    private final ThreadPoolExecutor threads;
    private final AtomicInteger working = new AtomicInteger();
    private final OutputWriter writer;
    private final RetryTopic retryTopic;
    private final CountDownLatch stopping;

    LaneWorkers(int capacity, OutputWriter.Factory writer, RetryTopic retryTopic, CountDownLatch stopping) {
        this.room = new Semaphore(capacity);
        AtomicInteger n = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(capacity, capacity, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> Thread.ofPlatform().name("precis-work-" + n.incrementAndGet()).unstarted(r));
        threads.allowCoreThreadTimeOut(true);
        this.writer = writer.create(threads);
        this.retryTopic = retryTopic;
        this.stopping = stopping;
    }

    /** Takes a place for one more record, waiting up to {@code millis}; false when none came free. */
    boolean reserve(long millis) {
        try {
            return room.tryAcquire(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Gives back a place reserved for a record that needs no work (written before). */
    void release() {
        room.release();
    }

    /**
     * Processes the record on a reserved place. {@code transaction}: its place in its partition's
     * exactly-once line, which orders a key's outputs too; otherwise it takes its key's turn.
     */
    void start(ConsumerRecord<byte[], byte[]> r, PartitionProgress.Slot slot,
            InOrderBuffer.Slot<TransactionalOutput.Output> transaction) {
        SameKeyOrder.Turn turn = transaction == null ? order.arrive(r.key()) : null;
        working.incrementAndGet();
        threads.execute(() -> work(r, slot, turn, transaction));
    }

    /** Records being processed now. */
    int working() {
        return working.get();
    }

    void shutdown() {
        threads.shutdownNow();
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
            room.release();
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

    /**
     * Waits for the work in flight of {@code partitions} (all when null) for {@code grace} at most.
     * The consumer keeps its group meanwhile from its own heartbeat thread.
     */
    void await(Collection<TopicPartition> partitions, LaneOffsets offsets, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline) {
            boolean open = partitions == null ? working() > 0 : !offsets.settled(partitions);
            if (!open) {
                return;
            }
            LockSupport.parkNanos(WORK_CHECK_NANOS);
        }
    }
}
