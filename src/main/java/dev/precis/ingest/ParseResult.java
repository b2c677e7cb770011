package dev.precis.ingest;

import dev.precis.pipeline.Document;
import dev.precis.publish.RejectCode;

/** Either a document that can be summarized or the reason the record cannot be. */
public sealed interface ParseResult {

    /** The record held a valid document. */
    record Accepted(Document document) implements ParseResult {
    }

    /** The record is unusable; {@code message} tells a person what to fix. */
    record Rejected(RejectCode code, String message, String id) implements ParseResult {
    }
}
