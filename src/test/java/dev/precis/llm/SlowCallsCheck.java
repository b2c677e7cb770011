package dev.precis.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.precis.devbroker.EmbeddedKafkaBroker;
import dev.precis.support.CrashRun;
import dev.precis.support.FakeOpenAi;
import dev.precis.support.KafkaTestClient.ProducerRecordSpec;
import dev.precis.support.KafkaTestClient;
import dev.precis.support.TestDocs;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Every model call takes 90 s. With 8 documents at a time and 24 documents, the last ones wait
 * three minutes unacknowledged behind the first — three times SmallRye's default record-age
 * limit. The worker, on its shipped defaults, must stay healthy throughout, keep its partitions
 * (no rebalance), and make exactly one call and one result per document. Long (~5 min); run with
 * {@code ./mvnw -B verify -Pcrash -Dit.test=SlowCallsCheck}.
 */
class SlowCallsCheck {

    private static final int DOCS = 24;

    @Test
    void ninetySecondCallsNeitherTripHealthNorRebalanceNorRepeat() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, 3); FakeOpenAi model = new FakeOpenAi(4096)) {
            model.latency(90_000);
            List<ProducerRecordSpec> docs = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < DOCS; i++) {
                ids.add("slow-" + i);
                docs.add(new ProducerRecordSpec(("slow-" + i).getBytes(StandardCharsets.UTF_8),
                        TestDocs.english(4, i).getBytes(StandardCharsets.UTF_8), Map.of()));
            }
            KafkaTestClient.send(broker.bootstrapServers(), "documents", docs);
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path log = Files.createTempFile("precis-slow", ".log");
            // Shipped defaults except the call timeout (the fake answers after 90 s; 180 s is the default too).
            Process worker = CrashRun.start(broker, model, Map.of("QUARKUS_HTTP_PORT", Integer.toString(port),
                    "PRECIS_MODELS_DEFAULT_MAX_CONCURRENCY", "8", "PRECIS_IN_FLIGHT", "8"), log);
            AtomicInteger healthChecks = new AtomicInteger();
            AtomicReference<String> unhealthy = new AtomicReference<>();
            Thread watcher = Thread.ofVirtual().start(() -> watchHealth(port, healthChecks, unhealthy));
            long start = System.nanoTime();
            List<ConsumerRecord<byte[], byte[]>> out;
            try {
                out = KafkaTestClient.readUntil(broker.bootstrapServers(), Set.of("summaries"), ids,
                        seen -> seen.size() >= DOCS, Duration.ofMinutes(8));
            } finally {
                watcher.interrupt();
                worker.destroy();
                worker.waitFor();
            }
            long seconds = (System.nanoTime() - start) / 1_000_000_000;
            String text = Files.readString(log);
            long rebalances = text.lines().filter(l -> l.contains("SRMSG18224") || l.contains("SRMSG18225")).count();
            // Revocations at the final SIGTERM are expected; count those before it.
            long before = text.substring(0, Math.max(0, text.indexOf("Stopping"))).lines()
                    .filter(l -> l.contains("SRMSG18224")).count();
            Set<String> distinct = new HashSet<>();
            out.forEach(r -> distinct.add(new String(r.key(), StandardCharsets.UTF_8)));
            long calls = model.requests().stream().filter(r -> r.status() == 200).count();
            System.out.printf("90 s calls: %d documents, %d results (%d distinct), %d model calls, %d s, "
                    + "%d health checks (%s), %d partition revocations before the stop (%d log lines in all)%n",
                    DOCS, out.size(), distinct.size(), calls, seconds, healthChecks.get(),
                    unhealthy.get() == null ? "all UP" : unhealthy.get(), before, rebalances);
            assertEquals(DOCS, distinct.size(), "lost documents");
            assertEquals(DOCS, out.size(), "duplicate results");
            assertEquals(DOCS, calls, "one call per document");
            assertTrue(unhealthy.get() == null, "health went DOWN: " + unhealthy.get());
            assertTrue(healthChecks.get() > 20, "health was watched throughout: " + healthChecks.get());
            assertEquals(0, before, "partitions revoked while the calls were running");
            assertTrue(seconds >= 260, "three rounds of 90 s calls: " + seconds + " s");
        }
    }

    /** Polls /q/health (liveness and readiness) every 5 s; remembers the first answer not UP after startup. */
    private static void watchHealth(int port, AtomicInteger checks, AtomicReference<String> unhealthy) {
        HttpClient http = HttpClient.newHttpClient();
        long started = System.nanoTime();
        boolean up = false;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                // Until the first UP the worker is starting (readiness waits for the channels).
                up = up || r.statusCode() == 200;
                if (up) {
                    checks.incrementAndGet();
                }
                if (up && r.statusCode() != 200 && unhealthy.get() == null) {
                    unhealthy.set("HTTP " + r.statusCode() + " after " + (System.nanoTime() - started) / 1_000_000_000
                            + " s: " + r.body());
                }
            } catch (java.io.IOException e) {
                // Not listening yet (startup).
            } catch (InterruptedException e) {
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000_000L);
        }
    }
}
