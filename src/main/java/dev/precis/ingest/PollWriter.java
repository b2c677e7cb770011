package dev.precis.ingest;

import dev.precis.ops.metrics.PrecisMetrics;
import dev.precis.publish.RefusedOutput;
import dev.precis.publish.SummaryRecord;
import io.opentelemetry.api.trace.Span;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The direct lane's work on one poll: every record processed and its output sent in order
 * ({@link #send}); later, once Kafka has answered, every send checked ({@link #settle}). An output
 * Kafka refuses for itself alone is swapped for its small replacement, as on the channel.
 */
final class PollWriter {

    private static final Logger LOG = Logger.getLogger(PollWriter.class);

    private final RecordProcessor processor;
    private final PrecisMetrics metrics;
    private final KafkaProducer<byte[], byte[]> producer;
    // Null with one thread: the lane's own thread then processes every record.
    private final ForkJoinPool pool;

    /** {@code threads}: how many threads process a poll's records (documents do not depend on each other). */
    PollWriter(RecordProcessor processor, PrecisMetrics metrics, KafkaProducer<byte[], byte[]> producer, int threads) {
        this.processor = processor;
        this.metrics = metrics;
        this.producer = producer;
        this.pool = threads < 2 ? null : new ForkJoinPool(threads, pool -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName("precis-direct-lane-" + (t.getPoolIndex() + 1));
            return t;
        }, null, false);
    }

    /**
     * Processes the poll's records, on as many threads as the lane was given, and sends their
     * outputs in the poll's order, without waiting for them: a key's outputs keep their order.
     */
    SentPoll send(ConsumerRecords<byte[], byte[]> records) {
        List<ConsumerRecord<byte[], byte[]>> in = new ArrayList<>(records.count());
        records.forEach(in::add);
        Processed.Output[] outputs = new Processed.Output[in.size()];
        if (pool == null || in.size() < 2) {
            for (int i = 0; i < outputs.length; i++) {
                outputs[i] = process(in.get(i));
            }
        } else {
            inParallel(in, outputs);
        }
        List<SentPoll.Sent> sent = new ArrayList<>(outputs.length);
        for (Processed.Output o : outputs) {
            String topic = o.topic() == null ? processor.resultsTopic() : o.topic();
            long sentAt = System.nanoTime();
            sent.add(new SentPoll.Sent(o.refused(), producer.send(
                    new ProducerRecord<>(topic, null, o.key(), o.value(), o.headers()), (metadata, e) -> {
                        if (e == null && o.result()) {
                            metrics.record("publish", System.nanoTime() - sentAt);
                        }
                    })));
        }
        Map<TopicPartition, Long> first = new LinkedHashMap<>();
        Map<TopicPartition, Long> next = new LinkedHashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> of = records.records(tp);
            first.put(tp, of.getFirst().offset());
            next.put(tp, of.getLast().offset() + 1);
        }
        return new SentPoll(first, next, sent);
    }

    private void inParallel(List<ConsumerRecord<byte[], byte[]>> in, Processed.Output[] outputs) {
        try {
            pool.submit(() -> IntStream.range(0, outputs.length).parallel()
                    .forEach(i -> outputs[i] = process(in.get(i)))).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while processing a poll", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private Processed.Output process(ConsumerRecord<byte[], byte[]> r) {
        long start = System.nanoTime();
        metrics.documentStarted();
        Processed processed;
        try {
            processed = processor.process(new SummaryRecord.Source(r.topic(), r.partition(), r.offset()), r.key(),
                    r.value(), r.headers(), start, Span.getInvalid());
        } catch (RuntimeException e) {
            metrics.documentDone("error", e.getClass().getSimpleName(), System.nanoTime() - start);
            throw e;
        }
        if (!(processed instanceof Processed.Output o)) {
            // The switch keeps the lane to pipelines that call no model, whose outcomes are never retried.
            throw new IllegalStateException("The direct lane got a record for the retry topic");
        }
        return o;
    }

    /** Stops the threads that helped process polls. */
    void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }

    /** Waits for every output of the poll: null when all are written; else why not, in Kafka's words. */
    String settle(SentPoll poll) {
        String failed = null;
        for (SentPoll.Sent s : poll.sent()) {
            String f = written(s);
            failed = failed == null ? f : failed;
        }
        return failed;
    }

    private String written(SentPoll.Sent s) {
        try {
            s.future().get();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "Interrupted while writing results";
        } catch (ExecutionException e) {
            Throwable failure = e.getCause();
            if (!RefusedOutput.refusesThisRecord(failure)) {
                return "Kafka did not take a result: " + failure;
            }
            ProducerRecord<byte[], byte[]> replacement = s.refused().replacement().apply(failure);
            LOG.warnf("Kafka refused an output (%s); writing a replacement to %s", RefusedOutput.describe(failure),
                    replacement.topic());
            try {
                producer.send(replacement).get();
                return null;
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return "Interrupted while writing results";
            } catch (ExecutionException again) {
                return "Kafka did not take a replacement: " + again.getCause();
            }
        }
    }
}
