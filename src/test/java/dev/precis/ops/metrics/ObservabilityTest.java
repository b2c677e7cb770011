package dev.precis.ops.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.config.Tracing;
import dev.precis.support.FakeModel;
import dev.precis.support.FakeOpenAi;
import dev.precis.support.KafkaAndModel;
import dev.precis.support.KafkaTestClient.ProducerRecordSpec;
import dev.precis.support.KafkaTestClient;
import dev.precis.support.LogCapture;
import dev.precis.support.Scrape;
import dev.precis.support.TestDocs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** Metrics, health, the dashboard and the logs, checked after a real run through the broker. */
@QuarkusTest
@WithTestResource(KafkaAndModel.class)
class ObservabilityTest {

    @FakeModel
    FakeOpenAi model;

    private static final Pattern METRIC = Pattern.compile("\\b((?:precis|kafka|gen_ai)_[a-zA-Z0-9_]+)");

    @TestHTTPResource("/q/metrics")
    URL metrics;

    @TestHTTPResource("/q/health/ready")
    URL ready;

    @Test
    void withNothingToExportTracingIsOffAndAProducersTraceContextStillReachesTheResult() {
        assertFalse(Tracing.exported(ConfigProvider.getConfig()), "nothing is exported in the tests");
        String id = "untraced-" + UUID.randomUUID().toString().substring(0, 8);
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        KafkaTestClient.send("documents", List.of(new ProducerRecordSpec(id.getBytes(StandardCharsets.UTF_8),
                TestDocs.english(5, 9).getBytes(StandardCharsets.UTF_8),
                Map.of("traceparent", traceparent, "tracestate", "vendor=abc"))));
        var out = KafkaTestClient.readUntil(Set.of("summaries"), Set.of(id), seen -> !seen.isEmpty(), Duration.ofMinutes(1));
        assertEquals(traceparent, new String(out.getFirst().headers().lastHeader("traceparent").value(),
                StandardCharsets.UTF_8));
        assertEquals("vendor=abc", new String(out.getFirst().headers().lastHeader("tracestate").value(),
                StandardCharsets.UTF_8));
    }

    @Test
    void aRunShowsInTheMetricsTheDashboardAndHealthButNeverInTheLogsAsText() throws Exception {
        String run = "obs-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        String marker = "PLANTED-" + UUID.randomUUID();
        Scrape before = Scrape.of(metrics.toURI());
        model.reset();
        model.failNext(429, 1);
        ObjectMapper json = new ObjectMapper();
        List<ProducerRecordSpec> records = List.of(
                spec(run + "a", json.createObjectNode().put("text", marker + " " + TestDocs.english(6, 1)).toString()),
                spec(run + "b", json.createObjectNode().put("text", TestDocs.english(300, 2)).toString()),
                spec(run + "c", TestDocs.english(4, 3)),
                spec(run + "bad", "{\"text\": " + marker));
        try (LogCapture logs = LogCapture.start()) {
            KafkaTestClient.send("documents", records);
            var out = KafkaTestClient.readUntil(Set.of("summaries", "documents.dlq"),
                    Set.of(run + "a", run + "b", run + "c", run + "bad"), seen -> seen.size() >= 4, Duration.ofMinutes(2));
            assertEquals(4, out.size());

            Scrape after = Scrape.of(metrics.toURI());
            // Kept for people reading a CI run: what an operator's Prometheus would see.
            Files.writeString(Path.of("target/observability-scrape.txt"), String.join("\n", after.samples()));
            assertEquals(3, delta(before, after, "precis_documents_total", "outcome=\"summarized\""));
            assertEquals(1, delta(before, after, "precis_documents_total", "outcome=\"dead_lettered\"", "reason=\"malformed_json\""));
            assertEquals(4, delta(before, after, "precis_documents_total", "outcome=\"received\""));
            assertEquals(1, delta(before, after, "precis_llm_calls_total", "outcome=\"rate_limited\""));
            assertEquals(1, delta(before, after, "precis_llm_retries_total", "reason=\"rate_limited\""));
            long calls = model.requests().size();
            assertEquals(calls, delta(before, after, "precis_llm_calls_total"));
            double input = delta(before, after, "precis_llm_tokens_total", "gen_ai_token_type=\"input\"");
            double output = delta(before, after, "precis_llm_tokens_total", "gen_ai_token_type=\"output\"");
            long reportedInput = model.requests().stream().filter(r -> r.status() == 200)
                    .mapToLong(FakeRequestTokens::prompt).sum();
            assertEquals(reportedInput, input, 0.5);
            assertEquals((input * 1.5 + output * 6.0) / 1e6, delta(before, after, "precis_llm_cost_usd_total"), 1e-9);
            assertTrue(delta(before, after, "precis_stage_duration_seconds_count", "stage=\"chunking\"") >= 1);
            assertTrue(delta(before, after, "precis_llm_call_duration_seconds_count", "stage=\"map\"") >= 2);
            assertTrue(after.samples().stream().anyMatch(s -> s.startsWith("precis_consumer_lag{partition=")
                    && s.contains("topic=\"documents\"")), "consumer lag per partition is scraped");
            assertEquals(0, after.sum("precis_documents_in_flight"));

            Set<String> missing = new TreeSet<>(dashboardMetrics());
            missing.removeAll(after.names());
            assertEquals(Set.of(), missing, "dashboard queries metrics the worker does not export");

            JsonNode health = json.readTree(get(ready.toURI()));
            assertEquals("UP", health.path("status").asText());
            assertTrue(health.toString().contains("model endpoint"));

            List<String> lines = logs.lines();
            assertTrue(lines.stream().anyMatch(l -> l.contains(run + "a") && l.contains("SUMMARIZED")), "outcome line");
            assertTrue(lines.stream().noneMatch(l -> l.contains(marker)), "document text in the log");
            assertTrue(lines.stream().noneMatch(l -> l.contains("sk-test-secret-key")), "API key in the log");
        }
    }

    /** Prompt tokens the fake reported for one answered request. */
    private interface FakeRequestTokens {
        static long prompt(dev.precis.support.FakeOpenAi.Request r) {
            return r.promptTokens();
        }
    }

    private static Set<String> dashboardMetrics() throws Exception {
        JsonNode dash = new ObjectMapper().readTree(Files.readString(Path.of("deploy/grafana/precis-dashboard.json")));
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : dash.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                // Label names in by (...) clauses and {...} selectors are not metric names.
                String expr = target.path("expr").asText().replaceAll("(by|without)\\s*\\([^)]*\\)", " ")
                        .replaceAll("\\{[^}]*\\}", " ");
                Matcher m = METRIC.matcher(expr);
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        assertTrue(names.size() >= 10, names.toString());
        return names;
    }

    private static double delta(Scrape before, Scrape after, String name, String... labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }

    private static String get(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static ProducerRecordSpec spec(String key, String value) {
        return new ProducerRecordSpec(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
