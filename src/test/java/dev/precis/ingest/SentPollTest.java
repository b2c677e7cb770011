package dev.precis.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Where the direct lane reads again when a poll's output could not be written, and when a poll is answered. */
class SentPollTest {

    private static final TopicPartition P0 = new TopicPartition("documents", 0);
    private static final TopicPartition P1 = new TopicPartition("documents", 1);
    private static final TopicPartition P2 = new TopicPartition("documents", 2);

    @Test
    void readsAgainFromTheFailedPollAndForOtherPartitionsFromTheEarliestLaterPoll() {
        SentPoll failed = poll(Map.of(P0, 100L), Map.of(P0, 150L));
        SentPoll second = poll(Map.of(P0, 150L, P1, 40L), Map.of(P0, 200L, P1, 90L));
        SentPoll third = poll(Map.of(P1, 90L, P2, 7L), Map.of(P1, 120L, P2, 30L));

        Map<TopicPartition, Long> from = SentPoll.readAgainFrom(failed, List.of(second, third));

        assertEquals(Map.of(P0, 100L, P1, 40L, P2, 7L), from);
    }

    @Test
    void isDoneOnlyOnceKafkaHasAnsweredForEveryOutput() {
        CompletableFuture<RecordMetadata> first = new CompletableFuture<>();
        CompletableFuture<RecordMetadata> second = new CompletableFuture<>();
        SentPoll poll = new SentPoll(Map.of(P0, 0L), Map.of(P0, 2L),
                List.of(new SentPoll.Sent(null, first), new SentPoll.Sent(null, second)));

        assertFalse(poll.done());
        first.complete(null);
        assertFalse(poll.done(), "one output still on its way");
        second.completeExceptionally(new IllegalStateException("refused"));
        assertTrue(poll.done(), "a refusal is an answer too: settling it will not wait");
    }

    private static SentPoll poll(Map<TopicPartition, Long> first, Map<TopicPartition, Long> next) {
        return new SentPoll(first, next, List.of());
    }
}
