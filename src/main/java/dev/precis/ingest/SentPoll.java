package dev.precis.ingest;

import dev.precis.publish.RefusedOutput;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One poll whose outputs are on their way to Kafka: where its records began and ended in each
 * partition, and the sends to wait for. The lane keeps a few of these open while it processes the
 * next polls, so that it never stands idle waiting for the broker, and commits a poll only once
 * all of its outputs, and all of the polls before it, are written.
 */
record SentPoll(Map<TopicPartition, Long> first, Map<TopicPartition, Long> next, List<Sent> sent) {

    /** One output sent, and the small record to write instead if Kafka refuses it. */
    record Sent(RefusedOutput refused, Future<RecordMetadata> future) {
    }

    /** Whether Kafka has answered for every output, so that settling it will not wait. */
    boolean done() {
        for (Sent s : sent) {
            if (!s.future().isDone()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where to read again when {@code failed} could not be written: its own first offsets, and for
     * a partition it does not hold, the first offset of the earliest later poll that does. Later
     * polls may have been written in part; reading them again costs duplicates, never a loss.
     */
    static Map<TopicPartition, Long> readAgainFrom(SentPoll failed, Collection<SentPoll> later) {
        Map<TopicPartition, Long> from = new HashMap<>(failed.first());
        for (SentPoll poll : later) {
            poll.first().forEach(from::putIfAbsent);
        }
        return from;
    }
}
