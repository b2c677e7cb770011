package dev.precis.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.devbroker.EmbeddedKafkaBroker;
import dev.precis.support.TestDocs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The embedded default at Kafka speed. Writes a backlog of documents, then measures in one run:
 * a plain kafka-clients consume → produce pass-through of those records (before and after the
 * worker, the bound is their mean), the packaged worker with nothing set but the broker and the
 * topics (the built-in extractive summarizer), its documents/s and their ratio, the worker's RSS
 * as the backlog drains, and the time from the worker's process start to its first result.
 * Needs {@code ./mvnw -B package -DskipTests} first.
 */
public final class ExtractiveBenchmark {

    private static final Path JAR = Path.of(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar"));

    private ExtractiveBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException("Build the worker first: ./mvnw -B package -DskipTests");
        }
        int docs = Integer.getInteger("bench.docs", 100_000);
        int partitions = Integer.getInteger("bench.partitions", 6);
        String external = System.getProperty("bench.bootstrap");
        List<byte[]> corpus = corpus(System.getProperty("bench.corpus"));
        // A stock broker's group start delay: a consumer on the classic group protocol waits it.
        EmbeddedKafkaBroker.Options options = new EmbeddedKafkaBroker.Options(0, partitions,
                EmbeddedKafkaBroker.Listeners.PLAINTEXT, null, Map.of("group.initial.rebalance.delay.ms", "3000"));
        try (EmbeddedKafkaBroker broker = external == null ? EmbeddedKafkaBroker.start(options) : null) {
            String bootstrap = external != null ? external : broker.bootstrapServers();
            String run = UUID.randomUUID().toString().substring(0, 8);
            String in = "extractive-" + run + "-in";
            createTopics(bootstrap, partitions, in, in + "-pass1", in + "-pass2", in + "-out");
            long bytes = fill(bootstrap, in, docs, corpus);
            System.out.printf("Backlog: %,d records (%,d bytes of values, mean %d bytes), %d partitions%n",
                    docs, bytes, bytes / docs, partitions);

            Throughput before = PassThrough.run(bootstrap, in, in + "-pass1", docs);
            System.out.printf("Pass-through (kafka-clients, before): %s%n", before);
            WorkerRun worker = WorkerRun.run(bootstrap, in, in + "-out", docs, command());
            System.out.printf("Worker (extractive): %s%n", worker.throughput());
            Throughput after = PassThrough.run(bootstrap, in, in + "-pass2", docs);
            System.out.printf("Pass-through (kafka-clients, after): %s%n", after);

            double bound = (before.perSecond() + after.perSecond()) / 2;
            double ratio = worker.throughput().perSecond() / bound;
            System.out.printf("%nWorker %.0f documents/s; pass-through %.0f records/s (mean of before and after); "
                    + "ratio %.3f (target >= 0.4, stretch 0.5)%n", worker.throughput().perSecond(), bound, ratio);
            System.out.printf("Time from process start to first result: %.2f s (target <= 3 s)%n",
                    worker.firstResultNanos() / 1e9);
            System.out.printf("Worker RSS while the backlog drained (MB): %s; most %d MB (target <= 384, flat)%n",
                    worker.rssByProgress(), worker.maxRssMb());
            System.out.printf("Results: %,d of %,d (%,d summarized); worker CPU %.1f s in all, %.0f µs per document%n",
                    worker.results(), docs, worker.summarized(), worker.cpuSeconds(), worker.cpuSeconds() * 1e6 / docs);
        }
    }

    /**
     * How the worker is started: as the README starts it ({@code ./precis worker}: its JVM options,
     * and the AOT cache where the build made one), unless JVM options or another build's jar are given.
     */
    private static List<String> command() {
        String args = System.getProperty("bench.jvm-args");
        if (args == null && System.getProperty("bench.jar") == null) {
            return List.of(Path.of("precis").toAbsolutePath().toString(), "worker");
        }
        args = args == null ? "-Xmx256m" : args;
        return WorkerRun.java(args.isBlank() ? List.of() : Arrays.asList(args.trim().split("\\s+")), JAR);
    }

    static void createTopics(String bootstrap, int partitions, String... names) throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<NewTopic> topics = Arrays.stream(names).map(n -> new NewTopic(n, partitions, (short) 1)).toList();
            admin.createTopics(topics).all().get();
        }
    }

    static long fill(String bootstrap, String topic, int docs, List<byte[]> corpus) {
        Map<String, Object> config = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024));
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < docs; i++) {
                byte[] value = corpus.get(i % corpus.size());
                bytes += value.length;
                producer.send(new ProducerRecord<>(topic, ("doc-" + i).getBytes(StandardCharsets.UTF_8), value));
            }
            producer.flush();
        }
        return bytes;
    }

    /**
     * Record values: plain text, as a producer that has nothing but text would send. From
     * {@code bench.corpus} (JSONL whose lines carry a "source" array of sentences, SciTLDR's shape)
     * when given, else generated English prose of about 1 KB.
     */
    private static List<byte[]> corpus(String path) throws Exception {
        List<byte[]> out = new ArrayList<>();
        if (path != null) {
            ObjectMapper json = new ObjectMapper();
            for (String line : Files.readAllLines(Path.of(path))) {
                List<String> sentences = new ArrayList<>();
                JsonNode source = json.readTree(line).path("source");
                source.forEach(s -> sentences.add(s.asText()));
                if (!sentences.isEmpty()) {
                    out.add(String.join(" ", sentences).getBytes(StandardCharsets.UTF_8));
                }
            }
            return out;
        }
        for (int seed = 0; seed < 1_000; seed++) {
            out.add(TestDocs.english(16, seed).getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }
}
