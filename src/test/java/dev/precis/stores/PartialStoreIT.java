package dev.precis.stores;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * No paying twice: the same long document summarized three times by the packaged worker — once
 * without a crash, once killed (SIGKILL) half-way through its map calls and restarted with the
 * partial-summary store, once killed the same way with the store off — and the tokens the provider
 * counted in each run compared.
 */
class PartialStoreIT {

    private static final String TEXT = TestDocs.english(5000, 7);

    @Test
    void aDocumentResumedAfterACrashReusesWhatWasAlreadyPaidFor() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, 3); FakeOpenAi model = new FakeOpenAi(4096)) {
            model.latency(250);
            Run clean = run(broker, model, "clean", false, true);
            Run withStore = run(broker, model, "store", true, true);
            Run withoutStore = run(broker, model, "nostore", true, false);
            System.out.printf("Tokens for one %d-call document: no crash %d; crash + store %d (%.2fx, %d partials reused; "
                    + "at the kill %d calls answered, %d partials stored); crash without store %d (%.2fx)%n", clean.calls,
                    clean.tokens, withStore.tokens, withStore.tokens / (double) clean.tokens, withStore.reused,
                    withStore.answeredAtKill, withStore.storedAtKill, withoutStore.tokens,
                    withoutStore.tokens / (double) clean.tokens);
            assertTrue(clean.tokens > 0 && withStore.tokens > 0 && withoutStore.tokens > 0, "the provider counted tokens");
            assertTrue(withStore.storedAtKill > 0 && withStore.reused >= withStore.storedAtKill,
                    "every partial stored before the kill was reused: " + withStore.reused + " of " + withStore.storedAtKill);
            // What the store cannot save: the two calls in flight at the kill (concurrency 2), and
            // the answers that had come back but whose partial was not yet written.
            long unsaved = 2 + Math.max(0, withStore.answeredAtKill - withStore.storedAtKill);
            assertTrue(withStore.tokens <= clean.tokens + unsaved * clean.largestCall, "with the store a crash costs only "
                    + "the " + unsaved + " calls it could not have stored: " + withStore.tokens + " vs " + clean.tokens);
            assertTrue(withoutStore.tokens >= clean.tokens * 1.2, "without it the done part is paid again: "
                    + withoutStore.tokens + " vs " + clean.tokens);
        }
    }

    private record Run(long tokens, int calls, int reused, long largestCall, int answeredAtKill, int storedAtKill) {
    }

    private static Run run(EmbeddedKafkaBroker broker, FakeOpenAi model, String name, boolean crash, boolean store)
            throws Exception {
        model.reset();
        model.latency(250);
        String topic = "docs-" + name;
        KafkaTestClient.send(broker.bootstrapServers(), topic, List.of(new ProducerRecordSpec(
                name.getBytes(StandardCharsets.UTF_8), TEXT.getBytes(StandardCharsets.UTF_8), Map.of())));
        Map<String, String> env = new HashMap<>(CrashRun.FAST_FAILOVER);
        env.putAll(Map.of("MP_MESSAGING_INCOMING_DOCUMENTS_TOPIC", topic,
                "PRECIS_PARTIALS_TOPIC", "partials-" + name, "PRECIS_PARTIALS_ENABLED", Boolean.toString(store),
                "PRECIS_MODELS_DEFAULT_MAX_CONCURRENCY", "2"));
        Process worker = CrashRun.start(broker, model, env);
        int answeredAtKill = 0;
        int storedAtKill = 0;
        try {
            if (crash) {
                await("the worker getting going").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                        .until(() -> model.requests().stream().filter(r -> r.status() == 200).count() >= 10);
                worker.destroyForcibly().waitFor();
                answeredAtKill = (int) model.requests().stream().filter(r -> r.status() == 200).count();
                storedAtKill = store ? KafkaTestClient.readAll(broker.bootstrapServers(), "partials-" + name,
                        Duration.ofSeconds(2)).size() : 0;
                worker = CrashRun.start(broker, model, env);
            }
            List<ConsumerRecord<byte[], byte[]>> out = KafkaTestClient.readUntil(broker.bootstrapServers(),
                    Set.of("summaries"), Set.of(name), s -> !s.isEmpty(), Duration.ofMinutes(3));
            assertEquals(1, out.size(), "one result for " + name);
            JsonNode v = new ObjectMapper().readTree(out.get(0).value());
            assertEquals("SUMMARIZED", v.path("status").asText(), v.toString());
            long tokens = model.requests().stream().filter(r -> r.status() == 200).mapToLong(FakeOpenAi.Request::usedTokens).sum();
            long largest = model.requests().stream().mapToLong(FakeOpenAi.Request::usedTokens).max().orElse(0);
            return new Run(tokens, v.path("usage").path("llmCalls").asInt(), v.path("usage").path("reusedCalls").asInt(),
                    largest, answeredAtKill, storedAtKill);
        } finally {
            worker.destroy();
            worker.waitFor();
        }
    }
}
