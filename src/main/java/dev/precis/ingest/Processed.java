package dev.precis.ingest;

import dev.precis.publish.RefusedOutput;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** What one input record becomes: one output record, or a hand-over to the retry topic. */
public sealed interface Processed {

    /**
     * A record to write: a result ({@code topic} null: the results topic) or a dead letter, with
     * the small record to write instead if Kafka refuses this one.
     */
    record Output(String topic, byte[] key, byte[] value, RecordHeaders headers, RefusedOutput refused,
            boolean result) implements Processed {
    }

    /** A model failure worth another try later: the record goes to the retry topic. */
    record Retry(String reason) implements Processed {
    }
}
