package dev.precis.ops.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.precis.support.KafkaAndModel;
import dev.precis.support.KafkaTestClient.ProducerRecordSpec;
import dev.precis.support.KafkaTestClient;
import dev.precis.support.TestDocs;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** A producer's trace continues through précis: consume, document, every model call, produce. */
@QuarkusTest
@WithTestResource(KafkaAndModel.class)
@TestProfile(TracingTest.Exporting.class)
class TracingTest {

    /** Spans exported to the in-memory exporter instead of nowhere. */
    public static class Exporting implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.traces.exporter", "cdi", "quarkus.otel.bsp.schedule.delay", "100ms");
        }
    }

    @Inject
    InMemorySpanExporter spans;

    @Test
    void theProducersTraceContinuesThroughEveryModelCallToTheResult() throws Exception {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String id = "trace-" + traceId.substring(0, 8);
        String value = "{\"id\":\"" + id + "\",\"text\":\"" + TestDocs.english(300, 4).replace("\n", "\\n") + "\"}";
        KafkaTestClient.send("documents", List.of(new ProducerRecordSpec(id.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8), Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"))));

        List<ConsumerRecord<byte[], byte[]>> out = KafkaTestClient.readUntil(Set.of("summaries"), Set.of(id),
                seen -> !seen.isEmpty(), Duration.ofMinutes(2));
        assertEquals(1, out.size());
        String traceparent = new String(out.getFirst().headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8);
        assertTrue(traceparent.contains(traceId), "result carries the producer's trace: " + traceparent);

        List<SpanData> trace = awaitSpans(traceId, "chat fake-small", 3);
        SpanData document = trace.stream().filter(s -> s.getName().equals("summarize document")).findFirst().orElseThrow();
        List<SpanData> chats = trace.stream().filter(s -> s.getName().equals("chat fake-small")).toList();
        assertTrue(chats.size() >= 3, "a span for each model call, map calls included");
        assertTrue(chats.stream().allMatch(s -> s.getParentSpanId().equals(document.getSpanId())));
        assertTrue(chats.stream().anyMatch(s -> "map".equals(s.getAttributes().get(
                io.opentelemetry.api.common.AttributeKey.stringKey("precis.stage")))));
    }

    private List<SpanData> awaitSpans(String traceId, String name, int atLeast) {
        return await("spans of trace " + traceId).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList(),
                        trace -> trace.stream().filter(s -> s.getName().equals(name)).count() >= atLeast
                                && trace.stream().anyMatch(s -> s.getName().equals("summarize document")));
    }
}
