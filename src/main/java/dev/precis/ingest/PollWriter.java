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
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The direct lane's work on one poll: every record processed in order and its output sent
 * ({@link #send}); later, once Kafka has answered, every send checked ({@link #settle}). An output
 * Kafka refuses for itself alone is swapped for its small replacement, as on the channel.
 */
final class PollWriter {

    private static final Logger LOG = Logger.getLogger(PollWriter.class);

    private final RecordProcessor processor;
    private final PrecisMetrics metrics;
    private final KafkaProducer<byte[], byte[]> producer;

    PollWriter(RecordProcessor processor, PrecisMetrics metrics, KafkaProducer<byte[], byte[]> producer) {
        this.processor = processor;
        this.metrics = metrics;
        this.producer = producer;
    }

    /** Processes the poll's records in order and sends their outputs, without waiting for them. */
    SentPoll send(ConsumerRecords<byte[], byte[]> records) {
        List<SentPoll.Sent> sent = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> r : records) {
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
