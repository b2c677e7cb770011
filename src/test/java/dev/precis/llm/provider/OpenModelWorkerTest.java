package dev.precis.llm.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.support.KafkaAndModel;
import dev.precis.support.KafkaTestClient.ProducerRecordSpec;
import dev.precis.support.KafkaTestClient;
import dev.precis.support.OpenModelFakes;
import dev.precis.support.Scrape;
import dev.precis.support.TestDocs;
import dev.precis.support.servers.FakeOpenModelServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The worker, through real Kafka and its real model clients, in front of fake Ollama, llama.cpp and
 * vLLM servers configured with the README's settings: each document is summarized within the
 * window the server really serves, readiness and metrics show that window, and a server's refusal
 * reaches the result in the server's own words.
 */
@QuarkusTest
@WithTestResource(KafkaAndModel.class)
@WithTestResource(OpenModelFakes.class)
class OpenModelWorkerTest {

    private final ObjectMapper json = new ObjectMapper();

    @TestHTTPResource("/q/health/ready")
    URL ready;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    @Test
    void eachServerSummarizesWithinTheWindowItServesAndReadinessAndMetricsShowIt() throws Exception {
        String run = "om-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<String> ids = new ArrayList<>();
        List<ProducerRecordSpec> records = new ArrayList<>();
        for (String model : List.of("ollama", "llamacpp", "vllm", "auto")) {
            for (int i = 0; i < 2; i++) {
                String id = run + model + "-" + i;
                String text = i == 0 ? TestDocs.english(900, 7) : TestDocs.korean(600, 8);
                ids.add(id);
                records.add(new ProducerRecordSpec(id.getBytes(StandardCharsets.UTF_8), json.createObjectNode()
                        .put("id", id).put("text", text).put("model", model).toString().getBytes(StandardCharsets.UTF_8),
                        Map.of()));
            }
        }
        KafkaTestClient.send("documents", records);
        List<ConsumerRecord<byte[], byte[]>> out = KafkaTestClient.readUntil(Set.of("summaries"), new HashSet<>(ids),
                s -> s.size() >= ids.size(), Duration.ofMinutes(2));
        assertEquals(ids.size(), out.size());
        List<String> summaries = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : out) {
            JsonNode v = json.readTree(r.value());
            assertEquals("SUMMARIZED", v.path("status").asText(), v.toString());
            assertEquals("MAP_REDUCE", v.path("strategy").asText(), "long documents: " + v.path("id"));
            summaries.add(v.path("summary").asText());
        }
        Scrape scrape = Scrape.of(metrics.toURI());
        for (FakeOpenModelServer server : List.of(OpenModelFakes.ollama(), OpenModelFakes.llamaCpp(), OpenModelFakes.vllm(),
                OpenModelFakes.unconfigured())) {
            String model = "gen_ai_request_model=\"" + server.modelName() + "\"";
            long truncated = server.count(FakeOpenModelServer.Outcome.TRUNCATED);
            long refused = server.count(FakeOpenModelServer.Outcome.REFUSED);
            assertTrue(truncated + refused <= 2, server.modelName() + ": truncated " + truncated + ", refused " + refused);
            assertEquals(truncated, scrape.sum("precis_llm_window_truncated_total", model), "every truncation detected");
            assertEquals(0, server.truncatedAnswersUsed(summaries), server.modelName() + ": a truncated answer was used");
        }
        JsonNode data = null;
        JsonNode plan = null;
        for (JsonNode check : json.readTree(get(ready)).path("checks")) {
            data = check.path("name").asText().equals("model endpoint") ? check.path("data") : data;
            plan = check.path("name").asText().equals("plan") ? check.path("data") : plan;
        }
        assertTrue(plan != null, "the startup plan is part of readiness");
        assertTrue(plan.path("engine").asText().startsWith("direct lane"), plan.toString());
        assertTrue(plan.path("model ollama").asText().startsWith("llama3.1:8b, context window "), plan.toString());
        assertTrue(plan.path("summarizer").asText().startsWith("llm"), plan.toString());
        assertTrue(data != null, "the model endpoint check is part of readiness");
        assertEquals(4096, data.path("llama3.1:8b.context-window").asInt(), data.toString());
        assertEquals(8192, data.path("Qwen/Qwen3-8B.context-window").asInt(), data.toString());
        assertEquals(6144, data.path("qwen2.5:7b.context-window").asInt(), "configured by name only: " + data);
        assertTrue(data.path("llama3.1:8b.window").asText().contains("Ollama reports 4096"), data.toString());
        assertEquals(4096, scrape.sum("precis_model_context_window_tokens", "gen_ai_request_model=\"llama3.1:8b\""));
        assertEquals(8192, scrape.sum("precis_model_context_window_tokens", "gen_ai_request_model=\"Qwen/Qwen3-8B\""));
    }

    @Test
    void aServersRefusalReachesTheResultInItsOwnWords() throws Exception {
        String id = "om-" + UUID.randomUUID().toString().substring(0, 8) + "-typo";
        KafkaTestClient.send("documents", List.of(new ProducerRecordSpec(id.getBytes(StandardCharsets.UTF_8),
                json.createObjectNode().put("id", id).put("text", TestDocs.english(30, 3)).put("model", "typo").toString()
                        .getBytes(StandardCharsets.UTF_8), Map.of())));
        List<ConsumerRecord<byte[], byte[]>> out = KafkaTestClient.readUntil(Set.of("summaries"), Set.of(id),
                s -> !s.isEmpty(), Duration.ofMinutes(1));
        JsonNode v = json.readTree(out.get(0).value());
        assertEquals("FAILED", v.path("status").asText(), v.toString());
        String error = v.path("error").asText();
        assertTrue(error.contains("HTTP 404") && error.contains("The model `Qwen/Qwen3-8B-Instruct` does not exist."), error);
    }

    private static String get(URL url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.toURI()).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
