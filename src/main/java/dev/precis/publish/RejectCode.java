package dev.precis.publish;

/** Why an input record ended as a dead letter; sent in the dead-letter headers. */
public enum RejectCode {
    NULL_VALUE, TOO_LARGE, INVALID_UTF8, MALFORMED_JSON, NOT_AN_OBJECT, MISSING_ID, MISSING_TEXT,
    BLANK_TEXT, WRONG_TYPE, INVALID_FIELD, UNKNOWN_MODEL, INTERNAL_ERROR,
    /** Failed for transient reasons (rate limits, provider down) on every pass through the retry topics. */
    RETRIES_EXHAUSTED
}
