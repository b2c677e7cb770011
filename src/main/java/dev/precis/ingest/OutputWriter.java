package dev.precis.ingest;

import dev.precis.ops.metrics.PrecisMetrics;
import dev.precis.publish.Outputs;
import dev.precis.publish.Processed;
import dev.precis.publish.RefusedOutput;
import dev.precis.publish.delivery.InOrderBuffer;
import dev.precis.publish.delivery.RetryTopic;
import dev.precis.publish.delivery.TransactionalOutput;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.concurrent.Executor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * One record's work on the direct lane: the record processed and its output sent; its slot is
 * marked written once Kafka has acknowledged the output, or failed with Kafka's words. An output
 * Kafka refuses for itself alone (too large, invalid) is swapped for its small replacement.
 */
final class OutputWriter {

    /** Makes the writer once the lane's threads exist (replacements are sent from them). */
    interface Factory {
        OutputWriter create(Executor replacements);
    }

    private static final Logger LOG = Logger.getLogger(OutputWriter.class);

    private final RecordProcessor processor;
    private final Outputs outputs;
    private final PrecisMetrics metrics;
    private final KafkaProducer<byte[], byte[]> producer;
    // Replacements are sent from here, not from the producer's own thread, whose callbacks must not block.
    private final Executor replacements;
    private final RetryTopic retryTopic;
    private final String deadLetterTopic;
    // Null when no traces are exported: then no span is made.
    private final DocumentTraces traces;

    OutputWriter(RecordProcessor processor, PrecisMetrics metrics, KafkaProducer<byte[], byte[]> producer,
            Executor replacements, RetryTopic retryTopic, String deadLetterTopic, DocumentTraces traces) {
        this.traces = traces;
        this.retryTopic = retryTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.processor = processor;
        this.outputs = processor.outputs();
        this.metrics = metrics;
        this.producer = producer;
        this.replacements = replacements;
    }

    /**
     * Processes the record and sends its output; returns once it is handed to the producer, in order.
     * With {@code transaction} (exactly-once) the output joins its partition's line instead, to be
     * written with its offset in a transaction.
     */
    void write(ConsumerRecord<byte[], byte[]> r, PartitionProgress.Slot slot,
            InOrderBuffer.Slot<TransactionalOutput.Output> transaction) {
        long start = System.nanoTime();
        metrics.documentStarted();
        Processed processed;
        Span span = traces == null ? Span.getInvalid() : traces.start(r);
        try (Scope ignored = span.makeCurrent()) {
            processed = processor.process(r, start, span);
        } catch (RuntimeException e) {
            metrics.documentDone("error", e.getClass().getSimpleName(), System.nanoTime() - start);
            throw e;
        } finally {
            span.end();
        }
        Outputs.Output o = switch (processed) {
            case Processed.Result result -> outputs.result(result, r);
            case Processed.DeadLetter refusal -> outputs.deadLetter(refusal, r);
            case Processed.Retry retry -> null;
        };
        if (o == null) {
            // To the next retry topic (or, after the last pass, the dead-letter topic), as it came.
            ProducerRecord<byte[], byte[]> next = retryTopic.next(r, ((Processed.Retry) processed).reason(),
                    deadLetterTopic);
            if (transaction != null) {
                transaction.complete(List.of(new TransactionalOutput.Output(next, null)), slot::written);
            } else {
                producer.send(next, (metadata, e) -> {
                    if (e == null) {
                        slot.written();
                    } else {
                        slot.failed("Kafka did not take a record for " + next.topic() + ": " + e);
                    }
                });
            }
            return;
        }
        if (traces != null) {
            traces.inject(span, o.record().headers());
        }
        ProducerRecord<byte[], byte[]> record = o.record();
        if (transaction != null) {
            transaction.complete(List.of(new TransactionalOutput.Output(record, o.refused())), slot::written);
            return;
        }
        long sentAt = System.nanoTime();
        producer.send(record, (metadata, e) -> {
            if (e == null) {
                if (o.result()) {
                    metrics.record("publish", System.nanoTime() - sentAt);
                }
                slot.written();
            } else if (RefusedOutput.refusesThisRecord(e)) {
                replacements.execute(() -> replace(o.refused(), e, slot));
            } else {
                slot.failed("Kafka did not take a result: " + e);
            }
        });
    }

    private void replace(RefusedOutput refused, Exception failure, PartitionProgress.Slot slot) {
        ProducerRecord<byte[], byte[]> replacement = refused.replacement().apply(failure);
        LOG.warnf("Kafka refused an output (%s); writing a replacement to %s", RefusedOutput.describe(failure),
                replacement.topic());
        Callback done = (metadata, again) -> {
            if (again == null) {
                slot.written();
            } else {
                slot.failed("Kafka did not take a replacement: " + again);
            }
        };
        try {
            producer.send(replacement, done);
        } catch (RuntimeException e) {
            slot.failed("Kafka did not take a replacement: " + e);
        }
    }
}
