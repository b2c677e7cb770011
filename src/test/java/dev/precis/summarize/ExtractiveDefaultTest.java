package dev.precis.summarize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.support.FakeModel;
import dev.precis.support.FakeOpenAi;
import dev.precis.support.ExtractiveProfile;
import dev.precis.support.KafkaAndModel;
import dev.precis.support.KafkaTestClient.ProducerRecordSpec;
import dev.precis.support.KafkaTestClient;
import dev.precis.support.TestDocs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The built-in default: summaries without any model, for any document size. */
@QuarkusTest
@WithTestResource(KafkaAndModel.class)
@TestProfile(ExtractiveProfile.class)
class ExtractiveDefaultTest {

    @FakeModel
    FakeOpenAi model;

    @Test
    void summarizesLongAndKoreanDocumentsWithoutCallingAModel() throws Exception {
        model.reset();
        String run = "ext-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        ObjectMapper json = new ObjectMapper();
        String longDoc = json.createObjectNode().put("id", run + "long").put("text", TestDocs.english(3000, 3))
                .put("targetLanguage", "fr").set("options", json.createObjectNode().put("maxSummaryTokens", 60)).toString();
        String korean = json.createObjectNode().put("text", TestDocs.korean(50, 4)).toString();
        KafkaTestClient.send("documents", List.of(
                new ProducerRecordSpec(bytes(run + "long"), bytes(longDoc), Map.of()),
                new ProducerRecordSpec(bytes(run + "korean"), bytes(korean), Map.of())));

        List<ConsumerRecord<byte[], byte[]>> out = KafkaTestClient.readUntil(Set.of("summaries"),
                Set.of(run + "long", run + "korean"), seen -> seen.size() >= 2, Duration.ofMinutes(2));

        assertEquals(2, out.size());
        for (ConsumerRecord<byte[], byte[]> r : out) {
            JsonNode v = json.readTree(r.value());
            assertEquals("SUMMARIZED", v.path("status").asText());
            assertEquals("EXTRACTIVE", v.path("strategy").asText());
            assertEquals("extractive", v.path("model").asText());
            assertEquals(0, v.path("usage").path("llmCalls").asInt());
            assertFalse(v.path("summary").asText().isBlank());
            if (v.path("id").asText().endsWith("long")) {
                assertTrue(v.path("warnings").toString().contains("Translation to fr"), v.toString());
                assertTrue(v.path("translation").isMissingNode());
            } else {
                assertTrue(v.path("summary").asText().matches("(?s).*[가-힣].*"));
            }
        }
        assertTrue(model.requests().isEmpty(), "the extractive summarizer called the model");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
