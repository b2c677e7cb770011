package dev.precis.publish.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.devbroker.EmbeddedKafkaBroker;
import dev.precis.support.CrashRun;
import dev.precis.support.FakeOpenAi;
import dev.precis.support.KafkaTestClient.ProducerRecordSpec;
import dev.precis.support.KafkaTestClient;
import dev.precis.support.TestDocs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * The provider is down for two documents: for one of them for 1.5 s, for the other for good. With a
 * one-second retry budget and two delayed retry topics (2 s, 3 s), the first comes back and is
 * summarized on a later pass, the second ends as a dead letter listing the reason of every pass,
 * and the documents behind them in their partition are not held up meanwhile.
 */
class RetryTopicIT {

    @Test
    void transientFailuresComeBackLaterAndEndAsADeadLetterWithTheirHistory() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, 1); FakeOpenAi model = new FakeOpenAi(4096)) {
            model.unavailableFor("FLAKY", Duration.ofMillis(1500));
            model.unavailableFor("DOWN", Duration.ofDays(1));
            ObjectMapper json = new ObjectMapper();
            List<ProducerRecordSpec> docs = new ArrayList<>();
            docs.add(spec("flaky", json.createObjectNode().put("id", "flaky").put("text", "FLAKY " + TestDocs.english(4, 1)).toString()));
            docs.add(spec("down", json.createObjectNode().put("id", "down").put("text", "DOWN " + TestDocs.english(4, 2)).toString()));
            for (int i = 0; i < 5; i++) {
                docs.add(spec("after-" + i, TestDocs.english(4, 10 + i)));
            }
            KafkaTestClient.send(broker.bootstrapServers(), "documents", docs);
            long start = System.nanoTime();
            Process worker = CrashRun.start(broker, model, Map.of("PRECIS_PARTIALS_ENABLED", "false",
                    "PRECIS_LLM_RETRY_BUDGET", "1s", "PRECIS_LLM_INITIAL_BACKOFF", "100ms",
                    "MP_MESSAGING_INCOMING_DOCUMENTS_FAILURE_STRATEGY", "delayed-retry-topic",
                    "MP_MESSAGING_INCOMING_DOCUMENTS_DELAYED_RETRY_TOPIC_TOPICS", "documents_retry_2000,documents_retry_3000",
                    "MP_MESSAGING_INCOMING_DOCUMENTS_DELAYED_RETRY_TOPIC_TIMEOUT", "60000"));
            Set<String> keys = Set.of("flaky", "down", "after-0", "after-1", "after-2", "after-3", "after-4");
            List<ConsumerRecord<byte[], byte[]>> out;
            Map<String, Long> arrivalMillis = new HashMap<>();
            try {
                out = KafkaTestClient.readUntil(broker.bootstrapServers(), Set.of("summaries", "documents.dlq"), keys,
                        seen -> {
                            seen.forEach(r -> arrivalMillis.putIfAbsent(key(r), (System.nanoTime() - start) / 1_000_000));
                            return seen.size() >= keys.size();
                        }, Duration.ofMinutes(2));
            } finally {
                worker.destroy();
                worker.waitFor();
            }
            Map<String, ConsumerRecord<byte[], byte[]>> byKey = new HashMap<>();
            out.forEach(r -> assertEquals(null, byKey.put(key(r), r), "one record for " + key(r)));
            assertEquals(keys, byKey.keySet());
            System.out.printf("arrival (ms after start): %s%n", arrivalMillis);

            ConsumerRecord<byte[], byte[]> flaky = byKey.get("flaky");
            assertEquals("summaries", flaky.topic());
            assertEquals("SUMMARIZED", json.readTree(flaky.value()).path("status").asText());
            List<FakeOpenAi.Request> flakyCalls = model.requests().stream()
                    .filter(r -> r.userMessage().contains("FLAKY")).toList();
            assertEquals(503, flakyCalls.getFirst().status(), "its first pass failed");
            assertEquals(200, flakyCalls.getLast().status());
            long waitedMillis = (flakyCalls.getLast().atNanos() - flakyCalls.getFirst().atNanos()) / 1_000_000;
            assertTrue(waitedMillis >= 2_000, "the success came through the 2 s retry topic, not the 1 s in-process "
                    + "budget: " + waitedMillis + " ms after the first failure");

            ConsumerRecord<byte[], byte[]> down = byKey.get("down");
            assertEquals("documents.dlq", down.topic());
            assertEquals("RETRIES_EXHAUSTED", last(down, "precis.dlq.code"));
            List<String> reasons = headers(down, "precis.retry.reason");
            assertEquals(3, reasons.size(), "one reason per pass: " + reasons);
            for (int pass = 1; pass <= 3; pass++) {
                assertTrue(reasons.get(pass - 1).startsWith("pass " + pass + ": UNAVAILABLE"), reasons.toString());
            }
            assertTrue(last(down, "precis.dlq.reason").contains("pass 3"), last(down, "precis.dlq.reason"));
            assertTrue(new String(down.value(), StandardCharsets.UTF_8).contains("DOWN"), "the dead letter keeps the document");

            for (int i = 0; i < 5; i++) {
                assertEquals("SUMMARIZED", json.readTree(byKey.get("after-" + i).value()).path("status").asText());
                assertTrue(arrivalMillis.get("after-" + i) + 1_500 < arrivalMillis.get("flaky"),
                        "documents behind the failing ones were not held up: " + arrivalMillis);
            }
        }
    }

    private static String key(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.key(), StandardCharsets.UTF_8);
    }

    private static List<String> headers(ConsumerRecord<byte[], byte[]> r, String name) {
        List<String> out = new ArrayList<>();
        for (Header h : r.headers().headers(name)) {
            out.add(new String(h.value(), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String last(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static ProducerRecordSpec spec(String key, String value) {
        return new ProducerRecordSpec(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
