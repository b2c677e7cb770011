package dev.precis.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.precis.support.FakeModel;
import dev.precis.support.FakeOpenAi;
import dev.precis.support.KafkaAndModel;
import dev.precis.support.KafkaTestClient.ProducerRecordSpec;
import dev.precis.support.KafkaTestClient;
import dev.precis.support.Schemas;
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

/** Fifty documents of every size through a real broker and the LLM summarizer, with provider faults. */
@QuarkusTest
@WithTestResource(KafkaAndModel.class)
class EndToEndTest {

    @FakeModel
    FakeOpenAi model;

    private final ObjectMapper json = new ObjectMapper();
    private final String run = "e2e-" + UUID.randomUUID().toString().substring(0, 8) + "-";

    @Test
    void everyDocumentGetsExactlyOneSummaryAndNoRequestOverflowsTheContext() throws Exception {
        model.reset();
        model.failNext(429, 2);
        model.failNext(503, 1);

        Map<String, ObjectNode> docs = new HashMap<>();
        for (int i = 0; i < 44; i++) {
            // Sizes from a tweet to several times the 2048-token context window.
            int sentences = i % 4 == 0 ? 400 : i % 4 == 1 ? 60 : i % 4 == 2 ? 8 : 1;
            docs.put(run + i, doc(run + i, TestDocs.english(sentences, i)));
        }
        docs.put(run + "giant", doc(run + "giant", TestDocs.english(2500, 99)));
        docs.put(run + "korean", doc(run + "korean", TestDocs.korean(300, 7)).put("language", "ko"));
        docs.put(run + "japanese", doc(run + "japanese", TestDocs.japanese(40, 8)).put("language", "ja"));
        docs.put(run + "german", doc(run + "german", TestDocs.english(12, 9)).put("targetLanguage", "de"));
        docs.put(run + "verbose", doc(run + "verbose", FakeOpenAi.VERBOSE_MARKER + " " + TestDocs.english(10, 10)));
        docs.get(run + "1").putObject("metadata").put("source", "crm").putArray("tags").add("a").add("b");
        docs.get(run + "2").putObject("options").put("length", "short");

        docs.values().forEach(d -> assertEquals(Set.of(), Schemas.errors(Schemas.DOCUMENT, d)));
        List<ProducerRecordSpec> records = new ArrayList<>();
        docs.forEach((id, d) -> records.add(new ProducerRecordSpec(bytes(id), bytes(d.toString()),
                id.endsWith("-3") ? Map.of("correlation-id", "corr-" + id) : Map.of())));
        String plainId = run + "plain";
        records.add(new ProducerRecordSpec(bytes(plainId), bytes(TestDocs.english(6, 11)), Map.of()));
        assertEquals(50, records.size());
        KafkaTestClient.send("documents", records);

        var keys = new java.util.HashSet<>(docs.keySet());
        keys.add(plainId);
        List<ConsumerRecord<byte[], byte[]>> out = KafkaTestClient.readUntil(
                java.util.Set.of("summaries", "documents.dlq"), keys,
                seen -> seen.stream().map(r -> str(r.key())).distinct().count() == keys.size(),
                Duration.ofMinutes(4));

        Map<String, List<ConsumerRecord<byte[], byte[]>>> byId = new HashMap<>();
        out.forEach(r -> byId.computeIfAbsent(str(r.key()), k -> new ArrayList<>()).add(r));
        for (String id : keys) {
            assertEquals(1, byId.getOrDefault(id, List.of()).size(), "records for " + id);
            ConsumerRecord<byte[], byte[]> r = byId.get(id).getFirst();
            assertEquals("summaries", r.topic(), "topic for " + id);
            JsonNode v = json.readTree(r.value());
            assertEquals(Set.of(), Schemas.errors(Schemas.SUMMARY, v), id);
            assertEquals(id, v.path("id").asText());
            assertEquals("SUMMARIZED", v.path("status").asText(), id + ": " + v);
            assertFalse(v.path("summary").asText().isBlank(), id);
            assertEquals("fake-small", v.path("model").asText());
            assertTrue(v.path("usage").path("llmCalls").asInt() >= 1, id);
            assertTrue(v.path("usage").path("inputTokens").asLong() > 0, id);
            assertEquals("documents", v.path("source").path("topic").asText());
            assertTrue(v.path("durationMs").asLong() >= 0);
        }

        JsonNode giant = value(byId, run + "giant");
        assertEquals("MAP_REDUCE", giant.path("strategy").asText());
        assertTrue(giant.path("chunks").asInt() >= 10, giant.toString());
        assertTrue(giant.path("usage").path("llmCalls").asInt() > giant.path("chunks").asInt());
        assertEquals("MAP_REDUCE", value(byId, run + "korean").path("strategy").asText());
        assertTrue(value(byId, run + "korean").path("summary").asText().matches("(?s).*[가-힣].*"));
        assertEquals("STUFF", value(byId, run + "3").path("strategy").asText());

        JsonNode german = value(byId, run + "german");
        assertEquals("de", german.path("translation").path("language").asText());
        assertTrue(german.path("translation").path("text").asText().startsWith("[de]"));
        assertTrue(value(byId, run + "1").path("translation").isMissingNode());

        assertTrue(value(byId, run + "verbose").path("warnings").toString().contains("output limit"));
        assertEquals(docs.get(run + "1").get("metadata"), value(byId, run + "1").get("metadata"));
        assertEquals("corr-" + run + "3", str(byId.get(run + "3").getFirst().headers().lastHeader("correlation-id").value()));
        assertNotNull(byId.get(run + "3").getFirst().headers().lastHeader("precis.status"));
        JsonNode third = value(byId, run + "3");
        assertTrue(third.path("idempotencyKey").asText().startsWith(run + "3:"));
        assertEquals(third.path("idempotencyKey").asText(),
                str(byId.get(run + "3").getFirst().headers().lastHeader("precis.idempotency-key").value()));

        List<FakeOpenAi.Request> seen = model.requests();
        assertEquals(2, seen.stream().filter(r -> r.status() == 429).count());
        assertEquals(1, seen.stream().filter(r -> r.status() == 503).count());
        assertEquals(0, seen.stream().filter(r -> r.status() == 400).count(), "requests over the context window");
        assertTrue(seen.stream().allMatch(r -> r.promptTokens() + r.maxTokens() <= KafkaAndModel.CONTEXT_WINDOW));
        // One retry layer only: every request is either a counted call or one of the three scripted failures.
        long counted = 0;
        for (String id : keys) {
            counted += value(byId, id).path("usage").path("llmCalls").asLong();
        }
        assertEquals(counted + 3, seen.size());
        // The retry of a throttled call comes no sooner than the provider's "try again in 1.5s".
        for (int i = 0; i < seen.size(); i++) {
            FakeOpenAi.Request throttled = seen.get(i);
            if (throttled.status() == 429) {
                FakeOpenAi.Request retry = seen.subList(i + 1, seen.size()).stream()
                        .filter(r -> r.userMessage().equals(throttled.userMessage())).findFirst().orElseThrow();
                assertTrue(retry.atNanos() - throttled.atNanos() >= 1_400_000_000L, "retried too early");
            }
        }
    }

    private JsonNode value(Map<String, List<ConsumerRecord<byte[], byte[]>>> byId, String id) throws Exception {
        return json.readTree(byId.get(id).getFirst().value());
    }

    private ObjectNode doc(String id, String text) {
        return json.createObjectNode().put("id", id).put("title", "Report " + id).put("text", text);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
