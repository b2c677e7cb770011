package dev.precis.bench;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
 * The bound: kafka-clients with their default settings in a JVM of its own, started like the worker
 * (so both pay for their start and warm-up): one thread that polls the input, sends every record
 * unchanged to the output and commits asynchronously after each poll. It does no work per record
 * and does not wait for its writes before committing, so nothing of this shape is faster with
 * these clients. Timed, like the worker, by the records that reach the output topic.
 */
final class PassThrough {

    private PassThrough() {
    }

    static Throughput run(String bootstrap, String in, String out, int records) throws Exception {
        try (OutputReader reader = new OutputReader(bootstrap, out, partitionsOf(bootstrap, in))) {
            String classPath = Stream.concat(Stream.of(Path.of("target/test-classes"), Path.of("target/classes")),
                    Files.list(Path.of("target/quarkus-app/lib/main")).sorted())
                    .map(Path::toString).collect(Collectors.joining(File.pathSeparator));
            Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                    classPath, PassThrough.class.getName(), bootstrap, in, out, Integer.toString(records))
                    .inheritIO().start();
            try {
                awaitCount(reader, records);
            } finally {
                process.destroy();
                process.waitFor();
            }
            return reader.throughput();
        }
    }

    /** The pass-through process: bootstrap servers, input topic, output topic, records to pass. */
    public static void main(String[] args) {
        String bootstrap = args[0];
        int records = Integer.parseInt(args[3]);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ConsumerConfig.GROUP_ID_CONFIG, "bench-pass-" + UUID.randomUUID(),
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                     ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            consumer.subscribe(List.of(args[1]));
            int read = 0;
            Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
            while (read < records && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    producer.send(new ProducerRecord<>(args[2], null, r.key(), r.value(), r.headers()));
                    read++;
                }
                consumer.commitAsync();
            }
            producer.flush();
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
