package dev.precis.summarize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.chunking.JtokkitTokenCounter;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** A 5 MB document through the running worker: hundreds of map calls, none over the model's window. */
@QuarkusTest
@WithTestResource(KafkaAndModel.class)
class LongDocumentTest {

    @FakeModel
    FakeOpenAi model;

    @Test
    void aFiveMegabyteDocumentIsSummarizedWithoutAnyRequestOverTheWindow() throws Exception {
        model.reset();
        StringBuilder text = new StringBuilder();
        for (long seed = 0; text.length() < 5_000_000; seed++) {
            text.append(seed % 7 == 0 ? TestDocs.korean(30, seed) : TestDocs.english(60, seed)).append("\n\n");
        }
        String id = "long-" + UUID.randomUUID();
        ObjectMapper json = new ObjectMapper();
        byte[] value = json.writeValueAsBytes(json.createObjectNode().put("id", id).put("text", text.toString()));
        assertTrue(value.length >= 5_000_000);
        KafkaTestClient.send("documents", List.of(new ProducerRecordSpec(id.getBytes(StandardCharsets.UTF_8), value, Map.of())));

        List<ConsumerRecord<byte[], byte[]>> out = KafkaTestClient.readUntil(Set.of("summaries", "documents.dlq"),
                Set.of(id), seen -> !seen.isEmpty(), Duration.ofMinutes(6));

        assertEquals(1, out.size());
        JsonNode result = json.readTree(out.getFirst().value());
        assertEquals("SUMMARIZED", result.path("status").asText(), result.toString());
        assertEquals("MAP_REDUCE", result.path("strategy").asText());
        int documentTokens = JtokkitTokenCounter.forEncoding("o200k_base").count(text.toString());
        long inputTokens = result.path("usage").path("inputTokens").asLong();
        System.out.printf("5 MB document: %,d tokens, %d chunks, %d calls, LLM input %,d tokens (%.3f x)%n",
                documentTokens, result.path("chunks").asInt(), result.path("usage").path("llmCalls").asInt(),
                inputTokens, inputTokens / (double) documentTokens);
        assertTrue(result.path("chunks").asInt() > 500);
        List<FakeOpenAi.Request> requests = model.requests();
        assertEquals(result.path("usage").path("llmCalls").asInt(), requests.size());
        assertTrue(requests.stream().noneMatch(r -> r.status() == 400), "a request went over the window");
        assertTrue(requests.stream().allMatch(r -> r.promptTokens() + r.maxTokens() <= KafkaAndModel.CONTEXT_WINDOW));
        // Prompts, separators and the collapse levels cost less than a third on top of the document itself.
        assertTrue(inputTokens < 1.33 * documentTokens, "LLM input " + inputTokens);
    }
}
