package dev.precis.publish;

import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * What to write instead when Kafka refuses one output record for reasons of that record alone (too
 * large for {@code max.request.size} or the topic's {@code max.message.bytes}, invalid): a small
 * record saying why. Without it the record would be redelivered and refused forever, blocking its
 * partition.
 */
public record RefusedOutput(Function<Throwable, ProducerRecord<byte[], byte[]>> replacement) {

    /** True for the errors that writing the same record again can never fix. */
    public static boolean refusesThisRecord(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (refusesThisRecordItself(t)) {
                return true;
            }
        }
        return false;
    }

    /** "RecordTooLargeException: The message is 1234 bytes when serialized..." */
    public static String describe(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && !refusesThisRecordItself(t)) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static boolean refusesThisRecordItself(Throwable t) {
        return t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException
                || t instanceof InvalidRecordException;
    }
}
