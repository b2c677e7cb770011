package dev.precis.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.config.Channels;
import dev.precis.config.PrecisConfig;
import dev.precis.config.TracingSwitch;
import dev.precis.ingest.ParseResult.Accepted;
import dev.precis.ingest.ParseResult.Rejected;
import dev.precis.ops.metrics.PrecisMetrics;
import dev.precis.ops.stop.InFlight;
import dev.precis.pipeline.Document;
import dev.precis.pipeline.Outcome;
import dev.precis.pipeline.Pipeline;
import dev.precis.pipeline.Pipelines;
import dev.precis.pipeline.Status;
import dev.precis.publish.Headers;
import dev.precis.publish.IdempotencyKey;
import dev.precis.publish.OutgoingRecords;
import dev.precis.publish.RefusedOutput;
import dev.precis.publish.RejectCode;
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
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

/**
 * Takes each input record to exactly one output record: a summary on the results topic, or the
 * original bytes on the dead-letter topic with the reason. The input is acknowledged only when its
 * output has been written, so a crash redelivers instead of losing.
 */
// Created at startup so that a configuration error stops the worker before it reads anything.
@Startup
@ApplicationScoped
public class DocumentConsumer {

    private static final Logger LOG = Logger.getLogger(DocumentConsumer.class);
    private static final List<String> TRACE_CONTEXT = List.of("traceparent", "tracestate");

    private final Pipelines pipelines;
    private final DocumentParser parser;
    private final OutgoingRecords records;
    private final PrecisConfig config;
    private final PrecisMetrics metrics;
    private final Tracer tracer;
    private final InFlight inFlight;
    private final RetryTopic retryTopic;
    private final Handoff handoff;
    private final boolean tracing;

    public DocumentConsumer(Pipelines pipelines, DocumentParser parser, ObjectMapper json, PrecisConfig config,
            PrecisMetrics metrics, Tracer tracer, InFlight inFlight, RetryTopic retryTopic, Handoff handoff,
            @ConfigProperty(name = TracingSwitch.KAFKA_TRACING, defaultValue = "true") boolean tracing) {
        this.tracing = tracing;
        this.inFlight = inFlight;
        this.retryTopic = retryTopic;
        this.handoff = handoff;
        this.pipelines = pipelines;
        this.parser = parser;
        this.records = new OutgoingRecords(json);
        this.config = config;
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
        if (!tracing) {
            return handle(in, start, Span.getInvalid());
        }
        // Continue the producer's trace (read from the record headers by the Kafka connector).
        Context parent = in.getMetadata(TracingMetadata.class).map(TracingMetadata::getCurrentContext)
                .orElse(Context.current());
        Span span = tracer.spanBuilder("summarize document").setParent(parent).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            Message<byte[]> out = handle(in, start, span);
            // The producer span of the result becomes a child of this document's span.
            return out.addMetadata(TracingMetadata.withCurrent(Context.current()));
        } catch (RuntimeException e) {
            // A bug, not a document problem: the record is nacked (failure-strategy=fail keeps it).
            metrics.documentDone("error", e.getClass().getSimpleName(), System.nanoTime() - start);
            throw e;
        } finally {
            span.end();
        }
    }

    private Message<byte[]> handle(Message<byte[]> in, long start, Span span) {
        @SuppressWarnings("unchecked")
        IncomingKafkaRecordMetadata<byte[], byte[]> meta = in.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("Record without Kafka metadata"));
        SummaryRecord.Source source = new SummaryRecord.Source(meta.getTopic(), meta.getPartition(), meta.getOffset());
        byte[] correlation = lastHeader(meta, config.correlationHeader());
        ParseResult parsed;
        try {
            parsed = parser.parse(meta.getKey(), in.getPayload());
        } catch (RuntimeException e) {
            parsed = new Rejected(RejectCode.INTERNAL_ERROR, "The record could not be read: " + e, null);
        }
        if (parsed instanceof Rejected r) {
            LOG.warnf("Dead-lettered record %s-%d@%d (id %s): %s", source.topic(), source.partition(),
                    source.offset(), r.id(), r.code());
            span.setAttribute("precis.outcome", "dead_lettered");
            RecordHeaders headers = OutgoingRecords.deadLetterHeaders(r.code(), r.message(), source,
                    config.correlationHeader(), correlation);
            carryTraceContext(meta, headers);
            Message<byte[]> dead = in.withPayload(in.getPayload()).addMetadata(OutgoingKafkaRecordMetadata.<byte[]>builder()
                    .withTopic(config.deadLetterTopic()).withKey(meta.getKey()).withHeaders(headers).build())
                    .addMetadata(new RefusedOutput(failure -> {
                        // Still a dead letter with the reason and the source offset, without the value.
                        RecordHeaders h = new RecordHeaders(headers.toArray());
                        h.add(Headers.DLQ_VALUE_DROPPED, RefusedOutput.describe(failure).getBytes(StandardCharsets.UTF_8));
                        return new ProducerRecord<>(config.deadLetterTopic(), null, meta.getKey(), null, h);
                    }));
            metrics.documentDone("dead_lettered", PrecisMetrics.tagOf(r.code().name()), System.nanoTime() - start);
            return dead;
        }
        Document doc = ((Accepted) parsed).document();
        span.setAttribute("precis.document.id", doc.id());
        // The parser only lets through model names that are configured.
        Pipeline pipeline = pipelines.forModel(doc.model()).orElseThrow();
        Outcome outcome = pipeline.process(doc);
        long durationMs = (System.nanoTime() - start) / 1_000_000;
        if (retryTopic.takes(outcome)) {
            LOG.warnf("Document %s: %s; handed to the retry topic", doc.id(), outcome.error());
            span.setAttribute("precis.outcome", "retried");
            metrics.documentDone("retried", failureReason(outcome), System.nanoTime() - start);
            return in.addMetadata(new RetryTopic.Later(outcome.error()));
        }
        SummaryRecord result = SummaryRecord.of(doc.id(), IdempotencyKey.of(doc, pipeline.model()), outcome,
                pipeline.pricing(), durationMs, source, doc.metadataJson());
        // One line per document that called a model. Without a model (the extractive default) the
        // line would cost a fair share of a document's time; it is there at DEBUG for who asks.
        Logger.Level level = result.usage().llmCalls() > 0 ? Logger.Level.INFO : Logger.Level.DEBUG;
        if (LOG.isEnabled(level)) {
            LOG.logf(level, "Document %s: %s, strategy %s, %d chunks, %d+%d tokens, %d calls, $%.6f, %d ms", doc.id(),
                    outcome.status(), outcome.strategy(), outcome.chunks(), result.usage().inputTokens(),
                    result.usage().outputTokens(), result.usage().llmCalls(), result.usage().estimatedCostUsd(),
                    durationMs);
        }
        boolean ok = outcome.status() == Status.SUMMARIZED;
        if (!ok) {
            // The error is the worker's and the server's words (bounded, quoted input cut out), never the text.
            LOG.warnf("Document %s failed: %s", doc.id(), outcome.error());
        }
        span.setAttribute("precis.outcome", ok ? "summarized" : "failed");
        RecordHeaders headers = OutgoingRecords.resultHeaders(result, config.correlationHeader(), correlation);
        carryTraceContext(meta, headers);
        long publishStart = System.nanoTime();
        byte[] key = doc.id().getBytes(StandardCharsets.UTF_8);
        Message<byte[]> out = in.withPayload(records.value(result)).addMetadata(OutgoingKafkaRecordMetadata.<byte[]>builder()
                .withKey(key).withHeaders(headers).build())
                .addMetadata(new RefusedOutput(failure -> {
                    SummaryRecord small = result.refused(RefusedOutput.describe(failure));
                    return new ProducerRecord<>(handoff.resultsTopic(), null, key, records.value(small),
                            OutgoingRecords.resultHeaders(small, config.correlationHeader(), correlation));
                }));
        metrics.documentDone(ok ? "summarized" : "failed", ok ? "none" : failureReason(outcome), System.nanoTime() - start);
        return out.withAck(() -> {
            metrics.record("publish", System.nanoTime() - publishStart);
            return in.ack();
        });
    }

    /** The failure kind as a metric tag; "error" for a failure that is not the model's. */
    private static String failureReason(Outcome outcome) {
        return outcome.failure() == null ? "error" : PrecisMetrics.tagOf(outcome.failure().name());
    }

    /**
     * Without tracing the worker makes no span, but a producer's trace still reaches the consumers of
     * the output: its W3C trace context headers are copied as they came.
     */
    private void carryTraceContext(IncomingKafkaRecordMetadata<byte[], byte[]> meta, RecordHeaders out) {
        if (tracing) {
            return;
        }
        for (String name : TRACE_CONTEXT) {
            byte[] value = lastHeader(meta, name);
            if (value != null) {
                out.add(name, value);
            }
        }
    }

    private static byte[] lastHeader(IncomingKafkaRecordMetadata<byte[], byte[]> meta, String name) {
        Header h = meta.getHeaders().lastHeader(name);
        return h == null ? null : h.value();
    }
}
