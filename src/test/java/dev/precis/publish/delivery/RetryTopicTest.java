package dev.precis.publish.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.precis.config.Messaging;
import dev.precis.llm.LlmException;
import dev.precis.llm.Usage;
import dev.precis.pipeline.Outcome;
import dev.precis.pipeline.Status;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** Where a record goes for its next pass, and what the worker adds to it. */
class RetryTopicTest {

    private final RetryTopic retry = new RetryTopic(new Messaging.RetryTopics(true,
            List.of("documents_retry_1000", "documents_retry_20000"), 2, 30_000L));

    @Test
    void onlyTransientFailuresAreRetriedAndOnlyWithTheStrategyOn() {
        assertTrue(retry.takes(failed(LlmException.Kind.UNAVAILABLE, "The provider is unavailable (HTTP 503)")));
        assertTrue(retry.takes(failed(LlmException.Kind.RATE_LIMITED, "Too many requests")));
        assertFalse(retry.takes(failed(LlmException.Kind.CONTENT_FILTERED, "refused")));
        // The kind decides, never the wording: a message that merely starts like a retryable one is not retried.
        assertFalse(retry.takes(failed(LlmException.Kind.REJECTED, "UNAVAILABLE: quoted by the server")));
        RetryTopic off = new RetryTopic(new Messaging.RetryTopics(false,
                List.of("documents_retry_10000"), 1, 120_000L));
        assertFalse(off.takes(failed(LlmException.Kind.UNAVAILABLE, "down")));
    }

    @Test
    void eachPassAddsItsReasonAndTheLastOneTheDeadLetterCode() {
        Headers first = send(new RecordHeaders(), "UNAVAILABLE: a");
        assertEquals(List.of("pass 1: UNAVAILABLE: a"), all(first, "precis.retry.reason"));
        assertNull(first.lastHeader("precis.dlq.code"));

        // Second pass: SmallRye counted one retry; the earlier reason travels in the record's headers.
        RecordHeaders second = new RecordHeaders();
        second.add("precis.retry.reason", bytes("pass 1: UNAVAILABLE: a"));
        second.add("delayed-retry-count", bytes("1"));
        second.add("delayed-retry-first-processing-timestamp", bytes(Long.toString(System.currentTimeMillis())));
        assertNull(send(second, "UNAVAILABLE: b").lastHeader("precis.dlq.code"), "one topic left");

        RecordHeaders third = new RecordHeaders();
        third.add("precis.retry.reason", bytes("pass 1: UNAVAILABLE: a"));
        third.add("precis.retry.reason", bytes("pass 2: UNAVAILABLE: b"));
        third.add("delayed-retry-count", bytes("2"));
        Headers last = send(third, "RATE_LIMITED: c");
        assertEquals("RETRIES_EXHAUSTED", str(last.lastHeader("precis.dlq.code").value()));
        assertEquals("pass 1: UNAVAILABLE: a | pass 2: UNAVAILABLE: b | pass 3: RATE_LIMITED: c",
                str(last.lastHeader("precis.dlq.reason").value()));
    }

    @Test
    void aPassThatWouldEndAfterTheTimeoutIsTheLastOne() {
        // First failure 40 s ago; the next topic's delay (20 s) ends past the 30 s timeout: SmallRye
        // sends the record to the dead-letter topic now, so it must carry the code already.
        RecordHeaders h = new RecordHeaders();
        h.add("delayed-retry-count", bytes("1"));
        h.add("delayed-retry-first-processing-timestamp", bytes(Long.toString(System.currentTimeMillis() - 40_000)));
        assertEquals("RETRIES_EXHAUSTED", str(send(h, "UNAVAILABLE: x").lastHeader("precis.dlq.code").value()));
    }

    private Headers send(RecordHeaders incoming, String reason) {
        ProducerRecord<byte[], byte[]> next = sent(incoming, reason);
        return next.headers();
    }

    private ProducerRecord<byte[], byte[]> sent(RecordHeaders incoming, String reason) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("documents", 0, 7, bytes("k"), bytes("v"));
        incoming.forEach(header -> record.headers().add(header));
        return retry.next(record, reason, "documents.dlq");
    }

    @Test
    void theRecordGoesToTheNextTopicWithItsCountThenToTheDeadLetterTopicAsItCame() {
        ProducerRecord<byte[], byte[]> first = sent(new RecordHeaders(), "UNAVAILABLE: a");
        assertEquals("documents_retry_1000", first.topic());
        assertEquals("1", str(first.headers().lastHeader("delayed-retry-count").value()));
        assertEquals("documents", str(first.headers().lastHeader("delayed-retry-topic").value()));
        assertEquals("k", str(first.key()));
        assertEquals("v", str(first.value()));
        RecordHeaders again = new RecordHeaders(first.headers().toArray());
        assertEquals("documents_retry_20000", sent(again, "UNAVAILABLE: b").topic());
        RecordHeaders last = new RecordHeaders();
        last.add("delayed-retry-count", bytes("2"));
        last.add("delayed-retry-first-processing-timestamp", bytes(Long.toString(System.currentTimeMillis())));
        ProducerRecord<byte[], byte[]> dead = sent(last, "UNAVAILABLE: c");
        assertEquals("documents.dlq", dead.topic());
        assertEquals("v", str(dead.value()), "the dead letter keeps the document");
        assertEquals(5_000, RetryTopic.delayMillis("documents_retry_5000"));
        assertTrue(retry.isRetryTopic("documents_retry_1000") && !retry.isRetryTopic("documents"));
    }

    private static Outcome failed(LlmException.Kind kind, String message) {
        return new Outcome(Status.FAILED, null, null, null, null, 0, Usage.NONE, 1, List.of(), kind + ": " + message, kind);
    }

    private static List<String> all(Headers h, String name) {
        List<String> out = new java.util.ArrayList<>();
        h.headers(name).forEach(x -> out.add(str(x.value())));
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
