package dev.precis.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.Outcome;
import dev.precis.Pipeline;
import dev.precis.config.PrecisConfig;
import dev.precis.ingest.ParseResult.Accepted;
import dev.precis.ingest.ParseResult.Rejected;
import dev.precis.publish.OutgoingRecords;
import dev.precis.publish.SummaryRecord;
import io.quarkus.runtime.Startup;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
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

    private final Pipeline pipeline;
    private final DocumentParser parser;
    private final OutgoingRecords records;
    private final PrecisConfig config;

    public DocumentConsumer(Pipeline pipeline, DocumentParser parser, ObjectMapper json, PrecisConfig config) {
        this.pipeline = pipeline;
        this.parser = parser;
        this.records = new OutgoingRecords(json);
        this.config = config;
    }

    @Incoming(Channels.DOCUMENTS)
    @Outgoing(Channels.RESULTS)
    @Blocking(value = "precis-documents", ordered = false)
    public Message<byte[]> process(Message<byte[]> in) {
        long start = System.nanoTime();
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
            RecordHeaders headers = OutgoingRecords.deadLetterHeaders(r.code(), r.message(), source,
                    config.correlationHeader(), correlation);
            return in.withPayload(in.getPayload()).addMetadata(OutgoingKafkaRecordMetadata.<byte[]>builder()
                    .withTopic(config.deadLetterTopic()).withKey(meta.getKey()).withHeaders(headers).build());
        }
        Document doc = ((Accepted) parsed).document();
        Outcome outcome = pipeline.process(doc);
        long durationMs = (System.nanoTime() - start) / 1_000_000;
        SummaryRecord result = SummaryRecord.of(doc.id(), outcome, durationMs, source, doc.metadata());
        LOG.infof("Document %s: %s, strategy %s, %d chunks, %d+%d tokens, %d calls, %d ms", doc.id(),
                outcome.status(), outcome.strategy(), outcome.chunks(), outcome.usage().inputTokens(),
                outcome.usage().outputTokens(), outcome.usage().llmCalls(), durationMs);
        RecordHeaders headers = OutgoingRecords.resultHeaders(result, config.correlationHeader(), correlation);
        return in.withPayload(records.value(result)).addMetadata(OutgoingKafkaRecordMetadata.<byte[]>builder()
                .withKey(doc.id().getBytes(StandardCharsets.UTF_8)).withHeaders(headers).build());
    }

    private static byte[] lastHeader(IncomingKafkaRecordMetadata<byte[], byte[]> meta, String name) {
        Header h = meta.getHeaders().lastHeader(name);
        return h == null ? null : h.value();
    }
}
