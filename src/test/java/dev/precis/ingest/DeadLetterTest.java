package dev.precis.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Every kind of bad record lands once on the dead-letter topic, and good records behind it still flow. */
@QuarkusTest
@WithTestResource(KafkaAndModel.class)
class DeadLetterTest {

    private final String run = "dlq-" + UUID.randomUUID().toString().substring(0, 8) + "-";

    @Test
    void badRecordsAreDeadLetteredWithTheirBytesAndReasonWhileGoodOnesAreSummarized() throws Exception {
        Map<String, byte[]> bad = new LinkedHashMap<>();
        Map<String, String> expectedCode = new HashMap<>();
        addBad(bad, expectedCode, "malformed", "{\"id\": \"x\", \"text\": \"unterminated", "MALFORMED_JSON");
        addBad(bad, expectedCode, "missing-text", "{\"title\": \"no text here\"}", "MISSING_TEXT");
        addBad(bad, expectedCode, "blank-text", "{\"text\": \"   \\n\\t \"}", "BLANK_TEXT");
        addBad(bad, expectedCode, "wrong-type", "{\"text\": 42}", "WRONG_TYPE");
        addBad(bad, expectedCode, "wrong-metadata", "{\"text\": \"fine\", \"metadata\": [1]}", "WRONG_TYPE");
        addBad(bad, expectedCode, "array", "[1, 2, 3]", "NOT_AN_OBJECT");
        addBad(bad, expectedCode, "bad-option", "{\"text\": \"fine\", \"options\": {\"maxSummaryTokens\": 3}}", "INVALID_FIELD");
        addBad(bad, expectedCode, "bad-language", "{\"text\": \"fine\", \"targetLanguage\": \"not a tag!\"}", "INVALID_FIELD");
        addBad(bad, expectedCode, "blank-plain", "   ", "BLANK_TEXT");
        bad.put(run + "too-large", ("{\"text\": \"" + "a ".repeat(KafkaAndModel.MAX_DOCUMENT_BYTES / 2) + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        expectedCode.put(run + "too-large", "TOO_LARGE");
        bad.put(run + "invalid-utf8", new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        expectedCode.put(run + "invalid-utf8", "INVALID_UTF8");
        bad.put(run + "null", null);
        expectedCode.put(run + "null", "NULL_VALUE");

        List<ProducerRecordSpec> records = new ArrayList<>();
        bad.forEach((key, value) -> records.add(new ProducerRecordSpec(bytes(key), value, Map.of("correlation-id", "c-" + key))));
        String good = run + "good";
        records.add(new ProducerRecordSpec(bytes(good), bytes(TestDocs.english(5, 1)), Map.of()));
        KafkaTestClient.send("documents", records);

        Set<String> keys = new java.util.HashSet<>(bad.keySet());
        keys.add(good);
        List<ConsumerRecord<byte[], byte[]>> out = KafkaTestClient.readUntil(Set.of("summaries", "documents.dlq"), keys,
                seen -> seen.stream().map(r -> str(r.key())).distinct().count() == keys.size(), Duration.ofMinutes(2));

        Map<String, List<ConsumerRecord<byte[], byte[]>>> byKey = new HashMap<>();
        out.forEach(r -> byKey.computeIfAbsent(str(r.key()), k -> new ArrayList<>()).add(r));
        for (Map.Entry<String, byte[]> e : bad.entrySet()) {
            List<ConsumerRecord<byte[], byte[]>> got = byKey.getOrDefault(e.getKey(), List.of());
            assertEquals(1, got.size(), "records for " + e.getKey());
            ConsumerRecord<byte[], byte[]> r = got.getFirst();
            assertEquals("documents.dlq", r.topic(), e.getKey());
            assertArrayEquals(e.getValue(), r.value(), "original bytes of " + e.getKey());
            assertEquals(expectedCode.get(e.getKey()), header(r, "precis.dlq.code"), e.getKey());
            assertFalse(header(r, "precis.dlq.reason").isBlank());
            assertEquals("documents", header(r, "precis.source.topic"));
            assertNotNull(header(r, "precis.source.offset"));
            assertEquals("c-" + e.getKey(), header(r, "correlation-id"));
        }
        assertEquals(1, byKey.get(good).size());
        JsonNode summary = new ObjectMapper().readTree(byKey.get(good).getFirst().value());
        assertEquals("summaries", byKey.get(good).getFirst().topic());
        assertEquals("SUMMARIZED", summary.path("status").asText());
    }

    private void addBad(Map<String, byte[]> bad, Map<String, String> codes, String name, String value, String code) {
        bad.put(run + name, bytes(value));
        codes.put(run + name, code);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : str(h.value());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
