package dev.precis.ingest;

import dev.precis.config.Channels;
import dev.precis.config.TracingSwitch;
import dev.precis.ops.metrics.PrecisMetrics;
import dev.precis.ops.stop.InFlight;
import dev.precis.publish.SummaryRecord;
import dev.precis.publish.delivery.Handoff;
import dev.precis.publish.delivery.RetryTopic;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.Startup;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Outgoing;

/**
 * Takes each input record to exactly one output record: a summary on the results topic, or the
 * original bytes on the dead-letter topic with the reason. The input is acknowledged only when its
 * output has been written, so a crash redelivers instead of losing.
 */
// Created at startup so that a configuration error stops the worker before it reads anything.
@Startup
@ApplicationScoped
public class DocumentConsumer {

    private final RecordProcessor processor;
    private final PrecisMetrics metrics;
    private final Tracer tracer;
    private final InFlight inFlight;
    private final Handoff handoff;
    private final boolean tracing;

    public DocumentConsumer(RecordProcessor processor, PrecisMetrics metrics, Tracer tracer, InFlight inFlight,
            Handoff handoff, @ConfigProperty(name = TracingSwitch.KAFKA_TRACING, defaultValue = "true") boolean tracing) {
        this.processor = processor;
        this.tracing = tracing;
        this.inFlight = inFlight;
        this.handoff = handoff;
        this.metrics = metrics;
        this.tracer = tracer;
    }

    @Incoming(Channels.DOCUMENTS)
    @Outgoing(Channels.RESULTS)
    @Blocking(value = "precis-documents", ordered = false)
    public Message<byte[]> process(Message<byte[]> in) throws InterruptedException {
        if (!inFlight.enter()) {
            // Stopping: the record is left unacknowledged, so its offset is not committed and the
            // next owner of the partition summarizes it.
            return null;
        }
        try {
            return handoff.deliver(in, processTaken(in));
        } catch (RuntimeException | InterruptedException e) {
            inFlight.exit();
            throw e;
        }
    }

    private Message<byte[]> processTaken(Message<byte[]> in) throws InterruptedException {
        // A newer version of a document waits until the output of the older one is written.
        var turn = in.getMetadata(SameKeyOrder.Turn.class);
        if (turn.isPresent()) {
            turn.get().awaitPrevious();
        }
        long start = System.nanoTime();
        metrics.documentStarted();
        try {
            return tracing ? traced(in, start) : handle(in, start, Span.getInvalid());
        } catch (RuntimeException e) {
            // A bug outside a document's processing (which ends as a dead letter): the record is
            // nacked (failure-strategy=fail keeps it), and counted, with tracing on or off.
            metrics.documentDone("error", e.getClass().getSimpleName(), System.nanoTime() - start);
            throw e;
        }
    }

    private Message<byte[]> traced(Message<byte[]> in, long start) {
        // Continue the producer's trace (read from the record headers by the Kafka connector).
        Context parent = in.getMetadata(TracingMetadata.class).map(TracingMetadata::getCurrentContext)
                .orElse(Context.current());
        Span span = tracer.spanBuilder("summarize document").setParent(parent).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            Message<byte[]> out = handle(in, start, span);
            // The producer span of the result becomes a child of this document's span.
            return out.addMetadata(TracingMetadata.withCurrent(Context.current()));
        } finally {
            span.end();
        }
    }

    private Message<byte[]> handle(Message<byte[]> in, long start, Span span) {
        @SuppressWarnings("unchecked")
        IncomingKafkaRecordMetadata<byte[], byte[]> meta = in.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("Record without Kafka metadata"));
        Processed processed = processor.process(new SummaryRecord.Source(meta.getTopic(), meta.getPartition(),
                meta.getOffset()), meta.getKey(), in.getPayload(), meta.getHeaders(), start, span);
        if (processed instanceof Processed.Retry retry) {
            return in.addMetadata(new RetryTopic.Later(retry.reason()));
        }
        Processed.Output o = (Processed.Output) processed;
        OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<byte[]> target = OutgoingKafkaRecordMetadata
                .<byte[]>builder().withKey(o.record().key()).withHeaders(o.record().headers());
        if (o instanceof Processed.DeadLetter) {
            target = target.withTopic(o.record().topic());
        }
        Message<byte[]> out = in.withPayload(o.record().value()).addMetadata(target.build()).addMetadata(o.refused());
        if (o instanceof Processed.DeadLetter) {
            return out;
        }
        long publishStart = System.nanoTime();
        return out.withAck(() -> {
            metrics.record("publish", System.nanoTime() - publishStart);
            return in.ack();
        });
    }
}
