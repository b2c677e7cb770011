package dev.precis.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Builds the value and headers of result and dead-letter records. */
public final class OutgoingRecords {

    // Resolved once: the writer of one type skips finding its serializer for every record.
    private final ObjectWriter writer;

    public OutgoingRecords(ObjectMapper json) {
        this.writer = json.writerFor(SummaryRecord.class);
    }

    public byte[] value(SummaryRecord record) {
        try {
            return writer.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not serialize the result of document " + record.id(), e);
        }
    }

    public static RecordHeaders resultHeaders(SummaryRecord record, String correlationHeader, byte[] correlation) {
        RecordHeaders h = new RecordHeaders();
        h.add(Headers.STATUS, utf8(record.status().name()));
        h.add(Headers.IDEMPOTENCY_KEY, utf8(record.idempotencyKey()));
        if (correlation != null) {
            h.add(correlationHeader, correlation);
        }
        return h;
    }

    public static RecordHeaders deadLetterHeaders(RejectCode code, String reason, SummaryRecord.Source source,
            String correlationHeader, byte[] correlation) {
        RecordHeaders h = new RecordHeaders();
        h.add(Headers.DLQ_CODE, utf8(code.name()));
        h.add(Headers.DLQ_REASON, utf8(reason));
        h.add(Headers.SOURCE_TOPIC, utf8(source.topic()));
        h.add(Headers.SOURCE_PARTITION, utf8(Integer.toString(source.partition())));
        h.add(Headers.SOURCE_OFFSET, utf8(Long.toString(source.offset())));
        if (correlation != null) {
            h.add(correlationHeader, correlation);
        }
        return h;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
