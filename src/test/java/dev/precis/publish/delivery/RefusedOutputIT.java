package dev.precis.publish.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.precis.devbroker.EmbeddedKafkaBroker;
import dev.precis.support.CrashRun;
import dev.precis.support.FakeOpenAi;
import dev.precis.support.KafkaTestClient.ProducerRecordSpec;
import dev.precis.support.KafkaTestClient;
import dev.precis.support.TestDocs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Output topics that take at most 20,000 bytes per record: a result too large for its topic (a
 * document with 50 KB of metadata, copied into the result) becomes a FAILED result saying why,
 * and a dead letter too large for its topic keeps its reason without the value; the documents
 * after them in the same partition go through. Before, the refused record was redelivered and
 * refused again, holding the partition.
 */
class RefusedOutputIT {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aRecordKafkaRefusesFailsThatDocumentOnly() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, 1); FakeOpenAi model = new FakeOpenAi(4096)) {
            try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers()))) {
                Map<String, String> small = Map.of("max.message.bytes", "20000");
                admin.createTopics(List.of(new NewTopic("in", 1, (short) 1),
                        new NewTopic("out", 1, (short) 1).configs(small),
                        new NewTopic("dead", 1, (short) 1).configs(small))).all().get();
            }
            ObjectNode big = json.createObjectNode().put("id", "big").put("text", TestDocs.english(5, 1));
            big.putObject("metadata").put("blob", "x".repeat(50_000));
            String broken = "{ not json " + "y".repeat(30_000);
            KafkaTestClient.send(broker.bootstrapServers(), "in", List.of(
                    spec("first", json.createObjectNode().put("id", "first").put("text", TestDocs.english(5, 2)).toString()),
                    spec("big", big.toString()),
                    spec("broken", broken),
                    spec("last", json.createObjectNode().put("id", "last").put("text", TestDocs.english(5, 3)).toString())));
            Process worker = CrashRun.start(broker, model, Map.of("MP_MESSAGING_INCOMING_DOCUMENTS_TOPIC", "in",
                    "MP_MESSAGING_OUTGOING_SUMMARIES_TOPIC", "out", "PRECIS_DEAD_LETTER_TOPIC", "dead",
                    "PRECIS_PARTIALS_ENABLED", "false"));
            List<ConsumerRecord<byte[], byte[]>> out;
            try {
                out = KafkaTestClient.readUntil(broker.bootstrapServers(), Set.of("out", "dead"),
                        Set.of("first", "big", "broken", "last"), seen -> seen.size() >= 4, Duration.ofMinutes(2));
            } finally {
                worker.destroy();
                worker.waitFor();
            }
            Map<String, ConsumerRecord<byte[], byte[]>> byKey = new HashMap<>();
            out.forEach(r -> byKey.merge(new String(r.key(), StandardCharsets.UTF_8), r, (a, b) -> {
                throw new AssertionError("two records for " + new String(a.key(), StandardCharsets.UTF_8));
            }));
            assertEquals(Set.of("first", "big", "broken", "last"), byKey.keySet());
            assertEquals("SUMMARIZED", value(byKey.get("first")).path("status").asText());
            assertEquals("SUMMARIZED", value(byKey.get("last")).path("status").asText());

            JsonNode refused = value(byKey.get("big"));
            assertEquals("out", byKey.get("big").topic());
            assertEquals("FAILED", refused.path("status").asText());
            assertTrue(refused.path("error").asText().startsWith("OUTPUT_REFUSED: Kafka refused the result (RecordTooLarge"),
                    refused.path("error").asText());
            assertTrue(refused.path("metadata").isMissingNode() && refused.path("summary").isMissingNode());
            assertTrue(refused.path("usage").path("inputTokens").asLong() > 0, "what was paid is still reported");
            assertEquals("FAILED", header(byKey.get("big"), "precis.status"));

            ConsumerRecord<byte[], byte[]> dead = byKey.get("broken");
            assertEquals("dead", dead.topic());
            assertEquals("MALFORMED_JSON", header(dead, "precis.dlq.code"));
            assertNotNull(header(dead, "precis.dlq.value-dropped"));
            assertTrue(dead.value() == null || dead.value().length == 0);
            assertEquals("0", header(dead, "precis.source.partition"));
            assertEquals("2", header(dead, "precis.source.offset"));
        }
    }

    private JsonNode value(ConsumerRecord<byte[], byte[]> r) throws Exception {
        return json.readTree(r.value());
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static ProducerRecordSpec spec(String key, String value) {
        return new ProducerRecordSpec(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
