package dev.precis.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Turns what a record came to into the record to write: a result under the document's id with its
 * headers, or the input as it came to the dead-letter topic with the reason in its headers; each
 * with the small record to write instead if Kafka refuses it. The input's correlation header and,
 * when the worker makes no spans, its W3C trace context go along.
 */
public final class Outputs {

    private static final List<String> TRACE_CONTEXT = List.of("traceparent", "tracestate");

    private final OutgoingRecords records;
    private final String resultsTopic;
    private final String deadLetterTopic;
    private final String correlationHeader;
    private final boolean tracing;

    /** A record to write and its replacement; {@code result}: whether it is a document's result. */
    public record Output(ProducerRecord<byte[], byte[]> record, RefusedOutput refused, boolean result) {
    }

    public Outputs(ObjectMapper json, String resultsTopic, String deadLetterTopic, String correlationHeader,
            boolean tracing) {
        this.records = new OutgoingRecords(json);
        this.resultsTopic = resultsTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.correlationHeader = correlationHeader;
        this.tracing = tracing;
    }

    public String resultsTopic() {
        return resultsTopic;
    }

    /** The output of a result of {@code in}. */
    public Output result(Processed.Result done, ConsumerRecord<byte[], byte[]> in) {
        byte[] correlation = lastHeader(in, correlationHeader);
        RecordHeaders headers = OutgoingRecords.resultHeaders(done.result(), correlationHeader, correlation);
        carryTraceContext(in, headers);
        byte[] key = done.id().getBytes(StandardCharsets.UTF_8);
        RefusedOutput refused = new RefusedOutput(failure -> {
            SummaryRecord small = done.result().refused(RefusedOutput.describe(failure));
            return new ProducerRecord<>(resultsTopic, null, key, records.value(small),
                    OutgoingRecords.resultHeaders(small, correlationHeader, correlation));
        });
        return new Output(new ProducerRecord<>(resultsTopic, null, key, records.value(done.result()), headers), refused,
                true);
    }

    /** The dead letter of {@code in}: its key and value as they came, the reason and its source in headers. */
    public Output deadLetter(Processed.DeadLetter refusal, ConsumerRecord<byte[], byte[]> in) {
        SummaryRecord.Source source = new SummaryRecord.Source(in.topic(), in.partition(), in.offset());
        RecordHeaders headers = OutgoingRecords.deadLetterHeaders(refusal.code(), refusal.message(), source,
                correlationHeader, lastHeader(in, correlationHeader));
        carryTraceContext(in, headers);
        RefusedOutput refused = new RefusedOutput(failure -> {
            // Still a dead letter with the reason and the source offset, without the value.
            RecordHeaders h = new RecordHeaders(headers.toArray());
            h.add(Headers.DLQ_VALUE_DROPPED, RefusedOutput.describe(failure).getBytes(StandardCharsets.UTF_8));
            return new ProducerRecord<>(deadLetterTopic, null, in.key(), null, h);
        });
        return new Output(new ProducerRecord<>(deadLetterTopic, null, in.key(), in.value(), headers), refused, false);
    }

    /**
     * Without tracing the worker makes no span, but a producer's trace still reaches the consumers of
     * the output: its W3C trace context headers are copied as they came.
     */
    private void carryTraceContext(ConsumerRecord<byte[], byte[]> in, RecordHeaders out) {
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

    private static byte[] lastHeader(ConsumerRecord<byte[], byte[]> in, String name) {
        Header h = in.headers().lastHeader(name);
        return h == null ? null : h.value();
    }
}
