package dev.precis.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Plain Kafka clients for tests: send raw records, read topics back with a deadline. */
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
        Properties p = new Properties();
        p.putAll(extra);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // With idempotence on, the in-process broker (Kafka 4.1.2) left one partition of a topic created
        // just before unanswered until the batch expired (seen in the benchmark harness); test input
        // does not need it.
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(32 * 1024 * 1024));
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecordSpec r : records) {
                RecordHeaders headers = new RecordHeaders();
                r.headers().forEach((k, v) -> headers.add(k, v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                sent.add(producer.send(new ProducerRecord<>(topic, null, r.key(), r.value(), headers)));
            }
            producer.flush();
            // A record the broker did not take must fail the caller, not vanish from the test's input.
            for (java.util.concurrent.Future<?> f : sent) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("Sending a test record failed", e.getCause());
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
        Properties p = new Properties();
        p.putAll(extra);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
        Instant deadline = Instant.now().plus(timeout);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(topics);
            boolean satisfied = false;
            int emptyPolls = 0;
            // Once satisfied, read on to the end of the topics so that a duplicate would be seen too.
            while (Instant.now().isBefore(deadline) && (!satisfied || emptyPolls < 2)) {
                var batch = consumer.poll(Duration.ofMillis(300));
                emptyPolls = batch.isEmpty() ? emptyPolls + 1 : 0;
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    if (r.key() != null && keys.contains(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8))) {
                        seen.add(r);
                    }
                }
                satisfied = satisfied || done.test(seen);
            }
        }
        return seen;
    }
}
