package dev.precis.ingest;

/** Why an input record could not be read as a document; sent in the dead-letter headers. */
public enum RejectCode {
    NULL_VALUE, TOO_LARGE, INVALID_UTF8, MALFORMED_JSON, NOT_AN_OBJECT, MISSING_ID, MISSING_TEXT,
    BLANK_TEXT, WRONG_TYPE, INVALID_FIELD, UNKNOWN_MODEL, INTERNAL_ERROR
}
