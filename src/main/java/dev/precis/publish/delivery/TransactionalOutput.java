package dev.precis.publish.delivery;

import dev.precis.publish.RefusedOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

/**
 * Exactly-once output: results are written and their input offsets committed in one Kafka
 * transaction, so a crash leaves either both or neither (readers use {@code read_committed}).
 * Model calls happen before, while a record is processed; a transaction only carries finished
 * outputs, so it stays short whatever the model's latency. One thread commits what is ready,
 * partition by partition in input order ({@link InOrderBuffer}), every {@code interval}.
 */
public final class TransactionalOutput implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TransactionalOutput.class);

    /** One output record, and what to write instead if Kafka refuses it for its own sake. */
    public record Output(ProducerRecord<byte[], byte[]> record, RefusedOutput fallback) {
    }

    /** Called when the output cannot be committed; the process should stop (it resumes from the last commit). */
    public interface Failure {
        void fatal(Exception e);
    }

    private final InOrderBuffer<Output> buffer = new InOrderBuffer<>();
    private final KafkaProducer<byte[], byte[]> producer;
    private final Duration interval;
    private final Failure failure;
    private final Object lock = new Object();
    private final Thread committer;
    private volatile ConsumerGroupMetadata group;
    private volatile boolean running = true;

    public TransactionalOutput(Map<String, Object> producerConfig, String transactionalId, Duration interval,
            Failure failure) {
        Map<String, Object> config = new java.util.HashMap<>(producerConfig);
        config.put("transactional.id", transactionalId);
        config.put("enable.idempotence", true);
        config.put("acks", "all");
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
        this.interval = interval;
        this.failure = failure;
        this.committer = Thread.ofPlatform().name("precis-transactions").daemon().start(this::commitLoop);
    }

    public InOrderBuffer<Output> buffer() {
        return buffer;
    }

    /** The consumer's group metadata after an assignment; commits are fenced against it. */
    public void assigned(ConsumerGroupMetadata metadata) {
        synchronized (lock) {
            group = metadata;
        }
    }

    /**
     * Partitions are being taken away: commit what is ready for them while they are still ours, and
     * abandon the rest (their next owner starts from the committed offset).
     */
    public void revoked(Collection<TopicPartition> partitions, ConsumerGroupMetadata metadata) {
        synchronized (lock) {
            group = metadata;
            commit(buffer.takeReady(partitions));
            buffer.drop(partitions).forEach(Runnable::run);
        }
    }

    private void commitLoop() {
        while (running) {
            synchronized (lock) {
                if (group != null) {
                    commit(buffer.takeReady(null));
                }
            }
            LockSupport.parkNanos(interval.toNanos());
        }
    }

    /** Writes the outputs and commits the offsets in one transaction; on a refused record, retries without it. */
    private void commit(InOrderBuffer.Ready<Output> ready) {
        if (ready.isEmpty()) {
            return;
        }
        List<Output> outputs = new ArrayList<>(ready.outputs());
        Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>();
        ready.nextOffsets().forEach((p, next) -> offsets.put(p, new OffsetAndMetadata(next)));
        for (int attempt = 1; ; attempt++) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            try {
                producer.beginTransaction();
                outputs.forEach(o -> sent.add(producer.send(o.record())));
                producer.sendOffsetsToTransaction(offsets, group);
                producer.commitTransaction();
                ready.onCommitted().forEach(Runnable::run);
                return;
            } catch (RuntimeException e) {
                if (attempt > 3 || !replaceRefused(outputs, sent)) {
                    failure.fatal(e);
                    running = false;
                    return;
                }
                try {
                    producer.abortTransaction();
                } catch (RuntimeException abortFailed) {
                    failure.fatal(abortFailed);
                    running = false;
                    return;
                }
            }
        }
    }

    /** Swaps every output Kafka refused for its own sake for its replacement; false if there was none. */
    private static boolean replaceRefused(List<Output> outputs, List<Future<RecordMetadata>> sent) {
        boolean any = false;
        for (int i = 0; i < sent.size(); i++) {
            Throwable cause = failureOf(sent.get(i));
            Output o = outputs.get(i);
            if (cause != null && o.fallback() != null && RefusedOutput.refusesThisRecord(cause)) {
                LOG.warnf("Kafka refused an output in %s (%s); writing its replacement", o.record().topic(),
                        RefusedOutput.describe(cause));
                outputs.set(i, new Output(o.fallback().replacement().apply(cause), null));
                any = true;
            }
        }
        return any;
    }

    private static Throwable failureOf(Future<RecordMetadata> f) {
        if (!f.isDone()) {
            return null;
        }
        try {
            f.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Commits what is ready now, while the consumer is still in its group (before it leaves). */
    public void commitReady() {
        synchronized (lock) {
            if (group != null && running) {
                commit(buffer.takeReady(null));
            }
        }
    }

    /** Commits what is ready one last time (a graceful stop), then closes the producer. */
    @Override
    public void close() {
        running = false;
        committer.interrupt();
        synchronized (lock) {
            if (group != null) {
                commit(buffer.takeReady(null));
            }
            producer.close(Duration.ofSeconds(5));
        }
    }
}
