package dev.precis.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.config.Messaging;
import dev.precis.config.PrecisConfig;
import dev.precis.config.Tracing;
import dev.precis.ingest.ParseResult.Accepted;
import dev.precis.ingest.ParseResult.Rejected;
import dev.precis.ops.metrics.PrecisMetrics;
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
import dev.precis.publish.delivery.RetryTopic;
import io.opentelemetry.api.trace.Span;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * One input record to its one output: reads the document, runs its pipeline, and builds the
 * result record, or the dead letter with the reason, or the hand-over to the retry topic. Used by
 * the channel and by the direct lane alike, so both write the same records.
 */
@ApplicationScoped
public class RecordProcessor {

    private static final Logger LOG = Logger.getLogger(RecordProcessor.class);
    private static final List<String> TRACE_CONTEXT = List.of("traceparent", "tracestate");

    private final Pipelines pipelines;
    private final DocumentParser parser;
    private final OutgoingRecords records;
    private final PrecisConfig config;
    private final PrecisMetrics metrics;
    private final RetryTopic retryTopic;
    private final String resultsTopic;
    private final boolean tracing;

    public RecordProcessor(Pipelines pipelines, DocumentParser parser, ObjectMapper json, PrecisConfig config,
            PrecisMetrics metrics, RetryTopic retryTopic, Messaging messaging,
            Config settings) {
        this.pipelines = pipelines;
        this.parser = parser;
        this.records = new OutgoingRecords(json);
        this.config = config;
        this.metrics = metrics;
        this.retryTopic = retryTopic;
        this.resultsTopic = messaging.resultsTopic();
        this.tracing = Tracing.exported(settings);
    }

    public String resultsTopic() {
        return resultsTopic;
    }

    /** {@code start}: when the record was taken, for the document's duration; {@code span}: its span, or the invalid one. */
    public Processed process(SummaryRecord.Source source, byte[] recordKey, byte[] value,
            org.apache.kafka.common.header.Headers in, long start, Span span) {
        byte[] correlation = lastHeader(in, config.correlationHeader());
        ParseResult parsed;
        try {
            parsed = parser.parse(recordKey, value, DocumentParser.declaresJson(lastHeader(in, DocumentParser.CONTENT_TYPE)));
        } catch (RuntimeException e) {
            parsed = new Rejected(RejectCode.INTERNAL_ERROR, "The record could not be read: " + e, null);
        }
        if (parsed instanceof Rejected r) {
            return deadLetter(source, recordKey, value, in, r.code(), r.message(), r.id(), correlation, start, span);
        }
        Document doc = ((Accepted) parsed).document();
        try {
            return summarized(source, doc, in, correlation, start, span);
        } catch (RuntimeException e) {
            // A bug, not the document's fault: this record ends as a dead letter with the reason, keeping
            // its value for a replay, and the records after it go on.
            LOG.errorf(e, "Document %s: processing failed", doc.id());
            return deadLetter(source, recordKey, value, in, RejectCode.INTERNAL_ERROR, "Processing failed: " + e,
                    doc.id(), correlation, start, span);
        }
    }

    private Processed deadLetter(SummaryRecord.Source source, byte[] recordKey, byte[] value,
            org.apache.kafka.common.header.Headers in, RejectCode code, String message, String id, byte[] correlation,
            long start, Span span) {
        LOG.warnf("Dead-lettered record %s-%d@%d (id %s): %s", source.topic(), source.partition(), source.offset(), id,
                code);
        span.setAttribute("precis.outcome", "dead_lettered");
        RecordHeaders headers = OutgoingRecords.deadLetterHeaders(code, message, source, config.correlationHeader(),
                correlation);
        carryTraceContext(in, headers);
        RefusedOutput refused = new RefusedOutput(failure -> {
            // Still a dead letter with the reason and the source offset, without the value.
            RecordHeaders h = new RecordHeaders(headers.toArray());
            h.add(Headers.DLQ_VALUE_DROPPED, RefusedOutput.describe(failure).getBytes(StandardCharsets.UTF_8));
            return new ProducerRecord<>(config.deadLetterTopic(), null, recordKey, null, h);
        });
        metrics.documentDone("dead_lettered", PrecisMetrics.tagOf(code.name()), System.nanoTime() - start);
        return new Processed.DeadLetter(new ProducerRecord<>(config.deadLetterTopic(), null, recordKey, value, headers),
                refused);
    }

    private Processed summarized(SummaryRecord.Source source, Document doc, org.apache.kafka.common.header.Headers in,
            byte[] correlation, long start, Span span) {
        span.setAttribute("precis.document.id", doc.id());
        // The parser only lets through model names that are configured.
        Pipeline pipeline = pipelines.forModel(doc.model()).orElseThrow();
        Outcome outcome = pipeline.process(doc);
        long durationMs = (System.nanoTime() - start) / 1_000_000;
        if (retryTopic.takes(outcome)) {
            LOG.warnf("Document %s: %s; handed to the retry topic", doc.id(), outcome.error());
            span.setAttribute("precis.outcome", "retried");
            metrics.documentDone("retried", failureReason(outcome), System.nanoTime() - start);
            return new Processed.Retry(outcome.error());
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
        carryTraceContext(in, headers);
        byte[] key = doc.id().getBytes(StandardCharsets.UTF_8);
        RefusedOutput refused = new RefusedOutput(failure -> {
            SummaryRecord small = result.refused(RefusedOutput.describe(failure));
            return new ProducerRecord<>(resultsTopic, null, key, records.value(small),
                    OutgoingRecords.resultHeaders(small, config.correlationHeader(), correlation));
        });
        metrics.documentDone(ok ? "summarized" : "failed", ok ? "none" : failureReason(outcome), System.nanoTime() - start);
        return new Processed.Result(new ProducerRecord<>(resultsTopic, null, key, records.value(result), headers),
                refused);
    }

    /** The failure kind as a metric tag; "error" for a failure that is not the model's. */
    private static String failureReason(Outcome outcome) {
        return outcome.failure() == null ? "error" : PrecisMetrics.tagOf(outcome.failure().name());
    }

    /**
     * Without tracing the worker makes no span, but a producer's trace still reaches the consumers of
     * the output: its W3C trace context headers are copied as they came.
     */
    private void carryTraceContext(org.apache.kafka.common.header.Headers in, RecordHeaders out) {
        if (tracing) {
            return;
        }
        for (String name : TRACE_CONTEXT) {
            byte[] value = lastHeader(in, name);
            if (value != null) {
                out.add(name, value);
            }
        }
    }

    private static byte[] lastHeader(org.apache.kafka.common.header.Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : h.value();
    }
}
