package dev.precis.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.support.FakeModel;
import dev.precis.support.FakeOpenAi;
import dev.precis.support.KafkaAndModel;
import dev.precis.support.KafkaTestClient.ProducerRecordSpec;
import dev.precis.support.KafkaTestClient;
import dev.precis.support.TestDocs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Versions of one document sent one after another come out in the order they went in, although
 * the first is long (many model calls) and the later ones short, and other documents run
 * concurrently beside them.
 */
@QuarkusTest
@WithTestResource(KafkaAndModel.class)
class SameKeyOrderTest {

    @FakeModel
    FakeOpenAi model;

    private final ObjectMapper json = new ObjectMapper();
    private final String run = "order-" + UUID.randomUUID().toString().substring(0, 8) + "-";

    @Test
    void versionsOfOneDocumentComeOutInInputOrder() throws Exception {
        model.reset();
        model.latency(150);
        List<String> ids = List.of(run + "a", run + "b", run + "c");
        List<ProducerRecordSpec> records = new ArrayList<>();
        for (int version = 1; version <= 4; version++) {
            for (String id : ids) {
                // Version 1 needs map-reduce (several rounds of calls); the later ones are one call.
                String text = version == 1 ? TestDocs.english(400, id.hashCode()) : TestDocs.english(3, version);
                String doc = json.createObjectNode().put("id", id).put("text", "v" + version + " " + text).toString();
                records.add(new ProducerRecordSpec(bytes(id), bytes(doc), Map.of()));
            }
            records.add(new ProducerRecordSpec(bytes(run + "other-" + version), bytes(TestDocs.english(2, version)), Map.of()));
        }
        KafkaTestClient.send("documents", records);

        List<ConsumerRecord<byte[], byte[]>> out = KafkaTestClient.readUntil(Set.of("summaries"), Set.copyOf(ids),
                seen -> seen.size() >= 12, Duration.ofMinutes(2));

        Map<String, List<Long>> offsetsById = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : out) {
            JsonNode v = json.readTree(r.value());
            assertEquals("SUMMARIZED", v.path("status").asText(), v.toString());
            offsetsById.computeIfAbsent(v.path("id").asText(), k -> new ArrayList<>()).add(v.path("source").path("offset").asLong());
        }
        for (String id : ids) {
            List<Long> offsets = offsetsById.get(id);
            assertEquals(4, offsets.size(), "results for " + id + ": " + offsets);
            List<Long> sorted = new ArrayList<>(offsets);
            sorted.sort(null);
            assertEquals(sorted, offsets, "results of " + id + " in output order carry input offsets " + offsets);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
