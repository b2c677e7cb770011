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
import dev.precis.publish.IdempotencyKey;
import dev.precis.publish.Outputs;
import dev.precis.publish.Processed;
import dev.precis.publish.RejectCode;
import dev.precis.publish.SummaryRecord;
import dev.precis.publish.delivery.RetryTopic;
import io.opentelemetry.api.trace.Span;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * One input record to what it comes to: reads the document, runs its pipeline, and says whether it
 * ends as its result, a dead letter with the reason, or another try on the retry topics; logs and
 * meters it. Publishing ({@link Outputs}) turns that into the record to write.
 */
@ApplicationScoped
public class RecordProcessor {

    private static final Logger LOG = Logger.getLogger(RecordProcessor.class);

    private final Pipelines pipelines;
    private final DocumentParser parser;
    private final PrecisMetrics metrics;
    private final RetryTopic retryTopic;
    private final Outputs outputs;

    public RecordProcessor(Pipelines pipelines, DocumentParser parser, ObjectMapper json, PrecisConfig config,
            PrecisMetrics metrics, RetryTopic retryTopic, Messaging messaging, Config settings) {
        this.pipelines = pipelines;
        this.parser = parser;
        this.metrics = metrics;
        this.retryTopic = retryTopic;
        this.outputs = new Outputs(json, messaging.resultsTopic(), config.deadLetterTopic(), config.correlationHeader(),
                Tracing.exported(settings));
    }

    /** What turns this worker's outcomes into records. */
    public Outputs outputs() {
        return outputs;
    }

    /** {@code start}: when the record was taken, for the document's duration; {@code span}: its span, or the invalid one. */
    public Processed process(ConsumerRecord<byte[], byte[]> in, long start, Span span) {
        SummaryRecord.Source source = new SummaryRecord.Source(in.topic(), in.partition(), in.offset());
        ParseResult parsed;
        try {
            parsed = parser.parse(in.key(), in.value(), DocumentParser.declaresJson(lastHeader(in,
                    DocumentParser.CONTENT_TYPE)));
        } catch (RuntimeException e) {
            parsed = new Rejected(RejectCode.INTERNAL_ERROR, "The record could not be read: " + e, null);
        }
        if (parsed instanceof Rejected r) {
            return deadLetter(source, r.code(), r.message(), r.id(), start, span);
        }
        Document doc = ((Accepted) parsed).document();
        try {
            return summarized(source, doc, start, span);
        } catch (RuntimeException e) {
            // A bug, not the document's fault: this record ends as a dead letter with the reason, keeping
            // its value for a replay, and the records after it go on.
            LOG.errorf(e, "Document %s: processing failed", doc.id());
            return deadLetter(source, RejectCode.INTERNAL_ERROR, "Processing failed: " + e, doc.id(), start, span);
        }
    }

    private Processed deadLetter(SummaryRecord.Source source, RejectCode code, String message, String id, long start,
            Span span) {
        LOG.warnf("Dead-lettered record %s-%d@%d (id %s): %s", source.topic(), source.partition(), source.offset(), id,
                code);
        span.setAttribute("precis.outcome", "dead_lettered");
        metrics.documentDone("dead_lettered", PrecisMetrics.tagOf(code.name()), System.nanoTime() - start);
        return new Processed.DeadLetter(code, message);
    }

    private Processed summarized(SummaryRecord.Source source, Document doc, long start, Span span) {
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
        metrics.documentDone(ok ? "summarized" : "failed", ok ? "none" : failureReason(outcome), System.nanoTime() - start);
        return new Processed.Result(doc.id(), result);
    }

    /** The failure kind as a metric tag; "error" for a failure that is not the model's. */
    private static String failureReason(Outcome outcome) {
        return outcome.failure() == null ? "error" : PrecisMetrics.tagOf(outcome.failure().name());
    }

    private static byte[] lastHeader(ConsumerRecord<byte[], byte[]> in, String name) {
        Header h = in.headers().lastHeader(name);
        return h == null ? null : h.value();
    }
}
