package dev.precis.ops.drain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.precis.devbroker.EmbeddedKafkaBroker;
import dev.precis.support.KafkaTestClient.ProducerRecordSpec;
import dev.precis.support.KafkaTestClient;
import dev.precis.support.TestDocs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The packaged worker in batch mode, as a separate process against a real broker: it works off the
 * backlog, reports progress, and exits 0 by itself.
 */
class BatchDrainIT {

    @Test
    void theWorkerDrainsTheBacklogReportsProgressAndExitsZero() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, 3)) {
            List<ProducerRecordSpec> backlog = new ArrayList<>();
            Set<String> keys = new HashSet<>();
            for (int i = 0; i < 40; i++) {
                keys.add("batch-" + i);
                backlog.add(spec("batch-" + i, TestDocs.english(20, i)));
            }
            keys.add("batch-bad");
            backlog.add(spec("batch-bad", "{\"text\": 5}"));
            KafkaTestClient.send(broker.bootstrapServers(), "documents", backlog);

            Path log = Files.createTempFile("precis-batch", ".log");
            ProcessBuilder worker = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                    "-jar", "target/quarkus-app/quarkus-run.jar").redirectErrorStream(true).redirectOutput(log.toFile());
            worker.environment().putAll(Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "PRECIS_DRAIN_ENABLED", "true", "PRECIS_DRAIN_PROGRESS_INTERVAL", "1s", "QUARKUS_HTTP_PORT", "0"));
            Process process = worker.start();
            boolean exited = process.waitFor(3, TimeUnit.MINUTES);
            if (!exited) {
                process.destroyForcibly();
            }
            String output = Files.readString(log);
            assertTrue(exited, "the worker did not exit by itself:\n" + tail(output));
            assertEquals(0, process.exitValue(), tail(output));
            assertTrue(output.contains("Batch run: draining 41 records"), tail(output));
            assertTrue(output.contains("Batch run drained: 41 records"), tail(output));

            List<ConsumerRecord<byte[], byte[]>> out = KafkaTestClient.readUntil(broker.bootstrapServers(),
                    Set.of("summaries", "documents.dlq"), keys, seen -> seen.size() >= 41, Duration.ofSeconds(30));
            assertEquals(41, out.size());
            assertEquals(40, out.stream().filter(r -> r.topic().equals("summaries")).count());
        }
    }

    private static ProducerRecordSpec spec(String key, String value) {
        return new ProducerRecordSpec(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static String tail(String output) {
        return output.length() <= 4000 ? output : output.substring(output.length() - 4000);
    }
}
