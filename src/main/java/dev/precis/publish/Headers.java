package dev.precis.publish;

/** Names of the Kafka headers précis writes. */
public final class Headers {

    /** Dead-letter reason in words a person can act on. */
    public static final String DLQ_REASON = "precis.dlq.reason";
    /** Dead-letter reason as a stable code (see {@link dev.precis.publish.RejectCode}). */
    public static final String DLQ_CODE = "precis.dlq.code";
    public static final String SOURCE_TOPIC = "precis.source.topic";
    public static final String SOURCE_PARTITION = "precis.source.partition";
    public static final String SOURCE_OFFSET = "precis.source.offset";
    /** Same value as the result's idempotencyKey: equal for a redelivered document. */
    public static final String IDEMPOTENCY_KEY = "precis.idempotency-key";
    /** Result status (SUMMARIZED or FAILED), so consumers can filter without parsing. */
    public static final String STATUS = "precis.status";
    /** On a record in a retry topic (and its final dead letter): one per failed pass, oldest first. */
    public static final String RETRY_REASON = "precis.retry.reason";
    /** On a dead letter whose original value Kafka refused: why the value was dropped. */
    public static final String DLQ_VALUE_DROPPED = "precis.dlq.value-dropped";

    private Headers() {
    }
}
