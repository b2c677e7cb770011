package dev.precis.publish;

/**
 * What one input record comes to, before it is a record: its result, a dead letter with the
 * reason, or another try later. Publishing ({@link Outputs}) turns it into the record to write.
 */
public sealed interface Processed {

    /** The document's result, SUMMARIZED or FAILED, for the results topic under the document's id. */
    record Result(String id, SummaryRecord result) implements Processed {
    }

    /** The input refused for {@code code}, for the dead-letter topic as it came. */
    record DeadLetter(RejectCode code, String message) implements Processed {
    }

    /** A model failure worth another try later: the record goes to the next retry topic. */
    record Retry(String reason) implements Processed {
    }
}
