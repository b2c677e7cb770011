package dev.precis.support;

import static org.awaitility.Awaitility.await;

import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Test records in and out of a cluster through SmallRye's Kafka companion: send raw records and
 * wait for the broker, read topics back until a condition holds.
 */
public final class KafkaTestClient {

    // Once the condition holds, reading goes on until the topics are quiet this long, so that a
    // duplicate written just after would be seen too.
    private static final Duration QUIET = Duration.ofMillis(600);

    private KafkaTestClient() {
    }

    /** Sends raw key/value bytes (either may be null) with optional headers and waits for the broker. */
    public static void send(String topic, List<ProducerRecordSpec> records) {
        send(KafkaAndModel.bootstrapServers(), topic, records);
    }

    /** Like {@link #send(String, List)}, to the given cluster. */
    public static void send(String bootstrapServers, String topic, List<ProducerRecordSpec> records) {
        send(bootstrapServers, new Properties(), topic, records);
    }

    /** Like {@link #send(String, List)}, to the given cluster with extra client settings (security). */
    public static void send(String bootstrapServers, Properties extra, String topic, List<ProducerRecordSpec> records) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (ProducerRecordSpec r : records) {
            RecordHeaders headers = new RecordHeaders();
            r.headers().forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
            out.add(new ProducerRecord<>(topic, null, r.key(), r.value(), headers));
        }
        try (KafkaCompanion companion = companion(bootstrapServers, extra)) {
            // A record the broker did not take fails the task, and so the caller.
            companion.produce(byte[].class, byte[].class)
                    .withProp(ProducerConfig.ACKS_CONFIG, "all")
                    // With idempotence on, the in-process broker (Kafka 4.1.2) left one partition of a
                    // topic created just before unanswered until the batch expired; test input does not need it.
                    .withProp(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false")
                    // Without idempotence a retried batch can overtake the next one; tests rely on the
                    // records' order (same-key order, source offsets), so one request at a time.
                    .withProp(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1")
                    .withProp(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(32 * 1024 * 1024))
                    .fromRecords(out).awaitCompletion(Duration.ofMinutes(1));
        }
    }

    /** One record to send. */
    public record ProducerRecordSpec(byte[] key, byte[] value, Map<String, String> headers) {
    }

    /**
     * Reads {@code topics} from the beginning until {@code done} holds for the records whose key is in
     * {@code keys}, or the deadline passes; returns those records.
     */
    public static List<ConsumerRecord<byte[], byte[]>> readUntil(Set<String> topics, Set<String> keys,
            Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout) {
        return readUntil(KafkaAndModel.bootstrapServers(), topics, keys, done, timeout);
    }

    /** Like {@link #readUntil(Set, Set, Predicate, Duration)}, from the given cluster. */
    public static List<ConsumerRecord<byte[], byte[]>> readUntil(String bootstrapServers, Set<String> topics,
            Set<String> keys, Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout) {
        return readUntil(bootstrapServers, new Properties(), topics, keys, done, timeout);
    }

    /** Like {@link #readUntil(Set, Set, Predicate, Duration)}, with extra client settings (security). */
    public static List<ConsumerRecord<byte[], byte[]>> readUntil(String bootstrapServers, Properties extra,
            Set<String> topics, Set<String> keys, Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
            Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        try (KafkaCompanion companion = companion(bootstrapServers, extra);
                ConsumerTask<byte[], byte[]> task = companion.consume(byte[].class, byte[].class)
                        .withGroupId("test-reader-" + UUID.randomUUID())
                        .withOffsetReset(OffsetResetStrategy.EARLIEST)
                        .fromTopics(topics)) {
            try {
                await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                        .until(() -> done.test(matching(task, keys)));
                readToQuiet(task, deadline);
            } catch (ConditionTimeoutException e) {
                // The caller asserts on what was read, with its own message.
            }
            return matching(task, keys);
        }
    }

    /** Every record of a topic, read from its start until no more arrive for a while. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrapServers, String topic, Duration timeout) {
        try (KafkaCompanion companion = companion(bootstrapServers, new Properties());
                ConsumerTask<byte[], byte[]> task = companion.consume(byte[].class, byte[].class)
                        .withGroupId("test-reader-" + UUID.randomUUID())
                        .withOffsetReset(OffsetResetStrategy.EARLIEST)
                        .fromTopics(Set.of(topic))) {
            readToQuiet(task, Instant.now().plus(timeout));
            return new ArrayList<>(task.getRecords());
        }
    }

    private static void readToQuiet(ConsumerTask<byte[], byte[]> task, Instant deadline) {
        while (Instant.now().isBefore(deadline)) {
            long count = task.count();
            try {
                await().during(QUIET).atMost(QUIET.multipliedBy(2)).until(() -> task.count() == count);
                return;
            } catch (ConditionTimeoutException e) {
                // Records still arriving: wait for the next quiet spell.
            }
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> matching(ConsumerTask<byte[], byte[]> task, Set<String> keys) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : task.getRecords()) {
            if (r.key() != null && keys.contains(new String(r.key(), StandardCharsets.UTF_8))) {
                out.add(r);
            }
        }
        return out;
    }

    private static KafkaCompanion companion(String bootstrapServers, Properties extra) {
        KafkaCompanion companion = new KafkaCompanion(bootstrapServers);
        Map<String, Object> common = new HashMap<>(companion.getCommonClientConfig());
        extra.forEach((k, v) -> common.put(k.toString(), v));
        companion.setCommonClientConfig(common);
        return companion;
    }
}
