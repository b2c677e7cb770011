package dev.precis.ingest;

import dev.precis.publish.RefusedOutput;
import org.apache.kafka.clients.producer.ProducerRecord;

/** What one input record comes to: a result, a dead letter, or a hand-over to the retry topics. */
public sealed interface Processed {

    /** A record to write, with the small record to write instead if Kafka refuses this one. */
    sealed interface Output extends Processed {
        ProducerRecord<byte[], byte[]> record();

        RefusedOutput refused();
    }

    /** The document's result, SUMMARIZED or FAILED, for the results topic. */
    record Result(ProducerRecord<byte[], byte[]> record, RefusedOutput refused) implements Output {
    }

    /** The input as it came, for the dead-letter topic, with the reason in its headers. */
    record DeadLetter(ProducerRecord<byte[], byte[]> record, RefusedOutput refused) implements Output {
    }

    /** A model failure worth another try later: the record goes to the next retry topic. */
    record Retry(String reason) implements Processed {
    }
}
