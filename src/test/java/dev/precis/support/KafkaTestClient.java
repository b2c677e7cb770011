package dev.precis.support;

import static org.awaitility.Awaitility.await;

import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Test records in and out of a cluster: send raw records through SmallRye's Kafka companion and
 * wait for the broker; read topics back with a plain consumer until a condition holds and on to
 * their end offsets (a consumer's position says exactly when the end is reached, transaction
 * markers included).
 */
public final class KafkaTestClient {

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
        // The caller asserts on what was read, with its own message, when the deadline passes first.
        return matching(read(bootstrapServers, extra, topics, all -> done.test(matching(all, keys)),
                Instant.now().plus(timeout)), keys);
    }

    /** Every record of a topic, from its start to its end as it is once the topic exists. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrapServers, String topic, Duration timeout) {
        return read(bootstrapServers, new Properties(), Set.of(topic), all -> true, Instant.now().plus(timeout));
    }

    /**
     * Reads {@code topics} from their start until {@code done} holds, then on to their end offsets
     * as they are at that moment, so that a duplicate written before then is seen too: no fixed
     * quiet spell to wait out, and nothing missed that was written when the condition held.
     */
    private static List<ConsumerRecord<byte[], byte[]>> read(String bootstrapServers, Properties extra,
            Set<String> topics, Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Instant deadline) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings(bootstrapServers, extra))) {
            Set<TopicPartition> assigned = new HashSet<>();
            boolean held = false;
            try {
                await().pollInSameThread().atMost(Duration.between(Instant.now(), deadline).plusMillis(1))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> !partitions(consumer, topics).isEmpty());
            } catch (ConditionTimeoutException e) {
                return records;
            }
            while (Instant.now().isBefore(deadline)) {
                // Output topics may be created by the worker's first write, after reading began.
                if (assigned.isEmpty() || !held && assigned.size() < partitions(consumer, topics).size()) {
                    List<TopicPartition> all = partitions(consumer, topics);
                    List<TopicPartition> added = all.stream().filter(tp -> !assigned.contains(tp)).toList();
                    assigned.addAll(added);
                    consumer.assign(assigned);
                    consumer.seekToBeginning(added);
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                if (!held && done.test(records)) {
                    held = true;
                }
                if (held && atEnd(consumer, assigned)) {
                    break;
                }
            }
        }
        return records;
    }

    private static boolean atEnd(KafkaConsumer<byte[], byte[]> consumer, Set<TopicPartition> assigned) {
        Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, Set<String> topics) {
        List<TopicPartition> out = new ArrayList<>();
        for (String topic : topics) {
            consumer.listTopics().getOrDefault(topic, List.of())
                    .forEach(p -> out.add(new TopicPartition(topic, p.partition())));
        }
        return out;
    }

    private static Properties settings(String bootstrapServers, Properties extra) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(32 * 1024 * 1024));
        props.putAll(extra);
        return props;
    }

    private static List<ConsumerRecord<byte[], byte[]>> matching(List<ConsumerRecord<byte[], byte[]>> records,
            Set<String> keys) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
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
