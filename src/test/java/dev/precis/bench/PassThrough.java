package dev.precis.bench;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The bound: kafka-clients with their default settings, one thread that polls the input, sends
 * every record unchanged to the output and commits asynchronously after each poll. It does no work
 * per record and does not wait for its writes before committing, so nothing in this shape is
 * faster with these clients.
 */
final class PassThrough {

    private PassThrough() {
    }

    static Throughput run(String bootstrap, String in, String out, int records) throws Exception {
        try (OutputReader reader = new OutputReader(bootstrap, out, partitionsOf(bootstrap, in));
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ConsumerConfig.GROUP_ID_CONFIG, "bench-pass-" + UUID.randomUUID(),
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                     ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            consumer.subscribe(List.of(in));
            int read = 0;
            Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
            while (read < records && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    producer.send(new ProducerRecord<>(out, null, r.key(), r.value(), r.headers()));
                    read++;
                }
                consumer.commitAsync();
            }
            producer.flush();
            awaitCount(reader, records);
            return reader.throughput();
        }
    }

    static void awaitCount(OutputReader reader, int records) {
        await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(20)).until(() -> reader.count() >= records);
    }

    static int partitionsOf(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        }
    }
}
