package dev.precis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.ops.EmbeddedKafkaBroker;
import dev.precis.support.FakeOpenAi;
import dev.precis.support.KafkaTestClient;
import dev.precis.support.KafkaTestClient.ProducerRecordSpec;
import dev.precis.support.TestDocs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Kills the packaged worker with SIGKILL at about 20%, 50% and 80% of a 2,000-document run and
 * restarts it each time, then checks the results as a set: nothing lost, every duplicate with the
 * same idempotency key. Long; run with {@code ./mvnw -B verify -Pcrash} (not part of .ci/run).
 */
class CrashRecoveryCheck {

    private static final int DOCUMENTS = 2000;

    @Test
    void killedThreeTimesTheWorkerLosesNothing() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, 6); FakeOpenAi model = new FakeOpenAi(4096)) {
            model.latency(40);
            List<ProducerRecordSpec> docs = new ArrayList<>();
            for (int i = 0; i < DOCUMENTS; i++) {
                docs.add(new ProducerRecordSpec(("doc-" + i).getBytes(StandardCharsets.UTF_8),
                        TestDocs.english(6, i).getBytes(StandardCharsets.UTF_8), Map.of()));
            }
            KafkaTestClient.send(broker.bootstrapServers(), "documents", docs);

            Map<String, List<String>> keysById = new HashMap<>();
            int kills = 0;
            Process worker = start(broker, model);
            try (KafkaConsumer<byte[], byte[]> results = reader(broker)) {
                Instant deadline = Instant.now().plus(Duration.ofMinutes(8));
                double[] killAt = {0.2, 0.5, 0.8};
                while (keysById.size() < DOCUMENTS && Instant.now().isBefore(deadline)) {
                    for (ConsumerRecord<byte[], byte[]> r : results.poll(Duration.ofMillis(200))) {
                        String id = new String(r.key(), StandardCharsets.UTF_8);
                        String key = new ObjectMapper().readTree(r.value()).path("idempotencyKey").asText();
                        keysById.computeIfAbsent(id, k -> new ArrayList<>()).add(key);
                    }
                    if (kills < killAt.length && keysById.size() >= killAt[kills] * DOCUMENTS) {
                        worker.destroyForcibly().waitFor();
                        kills++;
                        System.out.printf("SIGKILL %d at %d of %d documents%n", kills, keysById.size(), DOCUMENTS);
                        worker = start(broker, model);
                    }
                }
            } finally {
                worker.destroy();
                worker.waitFor();
            }
            long records = keysById.values().stream().mapToLong(List::size).sum();
            long duplicates = records - keysById.size();
            System.out.printf("documents %d, kills %d, results %d, lost %d, duplicates %d, model calls %d%n",
                    DOCUMENTS, kills, records, DOCUMENTS - keysById.size(), duplicates, model.requests().size());
            assertEquals(3, kills);
            assertEquals(DOCUMENTS, keysById.size(), "lost documents");
            assertTrue(keysById.values().stream().allMatch(k -> new HashSet<>(k).size() == 1),
                    "a duplicate with a different idempotency key");
        }
    }

    private static Process start(EmbeddedKafkaBroker broker, FakeOpenAi model) throws Exception {
        Path log = Files.createTempFile("precis-crash", ".log");
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-jar", "target/quarkus-app/quarkus-run.jar").redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "PRECIS_SUMMARIZER", "llm", "QUARKUS_LANGCHAIN4J_OPENAI_BASE_URL", model.baseUrl(),
                "QUARKUS_LANGCHAIN4J_OPENAI_CHAT_MODEL_MODEL_NAME", "fake-crash", "OPENAI_API_KEY", "sk-crash",
                "PRECIS_MODEL_CONTEXT_WINDOW", "4096", "PRECIS_MODEL_MAX_OUTPUT_TOKENS", "512",
                "PRECIS_LLM_MAX_CONCURRENCY", "16", "SMALLRYE_MESSAGING_WORKER_PRECIS_DOCUMENTS_MAX_CONCURRENCY", "16",
                "QUARKUS_HTTP_PORT", "0"));
        return pb.start();
    }

    private static KafkaConsumer<byte[], byte[]> reader(EmbeddedKafkaBroker broker) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "crash-check");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        c.subscribe(Set.of("summaries"));
        return c;
    }
}
