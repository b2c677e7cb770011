package dev.precis.ops.stop;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.precis.devbroker.EmbeddedKafkaBroker;
import dev.precis.support.CrashRun;
import dev.precis.support.FakeOpenAi;
import dev.precis.support.KafkaTestClient.ProducerRecordSpec;
import dev.precis.support.KafkaTestClient;
import dev.precis.support.TestDocs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM while documents are being summarized: within the grace period they finish, are
 * written and committed, and the worker exits; what cannot finish in time is redelivered after
 * the restart. Either way nothing is lost and nothing is summarized twice.
 */
class GracefulStopIT {

    private static final int DOCS = 40;
    private static final int CONCURRENCY = 8;

    @Test
    void documentsInFlightFinishWithinTheGracePeriod() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, 3); FakeOpenAi model = new FakeOpenAi(4096)) {
            model.latency(4_000);
            Stop stop = stopWhileBusy(broker, model, "finish", Duration.ofSeconds(30));
            System.out.printf("grace 30 s, calls of 4 s: %d in flight at SIGTERM, %d results before exit, exited in %d ms%n",
                    stop.inFlight, stop.resultsBeforeExit, stop.exitMillis);
            assertTrue(stop.resultsBeforeExit >= stop.inFlight, "the documents in flight were finished: " + stop);
            assertTrue(stop.exitMillis < 20_000, "exited soon after they finished: " + stop);
            model.latency(50);
            assertEquals(stop.modelCallsBeforeExit, stop.resultsBeforeExit, "every call made so far gave its result");
            finishAndCheck(broker, model, "finish", stop);
        }
    }

    @Test
    void documentsThatCannotFinishInTimeAreRedelivered() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, 3); FakeOpenAi model = new FakeOpenAi(4096)) {
            model.latency(60_000);
            Stop stop = stopWhileBusy(broker, model, "late", Duration.ofSeconds(3));
            System.out.printf("grace 3 s, calls of 60 s: %d in flight at SIGTERM, %d results before exit, exited in %d ms%n",
                    stop.inFlight, stop.resultsBeforeExit, stop.exitMillis);
            assertEquals(0, stop.resultsBeforeExit, "no call could have finished");
            assertTrue(stop.exitMillis < 15_000, "the grace period bounds the stop: " + stop);
            model.latency(50);
            finishAndCheck(broker, model, "late", stop);
        }
    }

    private record Stop(int inFlight, int resultsBeforeExit, int modelCallsBeforeExit, long exitMillis) {
    }

    private static Stop stopWhileBusy(EmbeddedKafkaBroker broker, FakeOpenAi model, String run, Duration grace)
            throws Exception {
        List<ProducerRecordSpec> docs = new ArrayList<>();
        for (int i = 0; i < DOCS; i++) {
            docs.add(new ProducerRecordSpec(bytes(run + "-" + i), bytes(TestDocs.english(4, i)), Map.of()));
        }
        KafkaTestClient.send(broker.bootstrapServers(), "documents-" + run, docs);
        Process worker = CrashRun.start(broker, model, env(run, grace));
        await("the worker getting busy").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                .until(() -> model.inFlight() >= CONCURRENCY);
        int inFlight = model.inFlight();
        long start = System.nanoTime();
        worker.destroy();
        worker.waitFor();
        long exitMillis = (System.nanoTime() - start) / 1_000_000;
        int calls = (int) model.requests().stream().filter(r -> r.status() == 200).count();
        int results = read(broker, run, 0).size();
        return new Stop(inFlight, results, calls, exitMillis);
    }

    /** Restarts the worker, waits for every document, and checks none is lost or duplicated. */
    private static void finishAndCheck(EmbeddedKafkaBroker broker, FakeOpenAi model, String run, Stop stop)
            throws Exception {
        Process worker = CrashRun.start(broker, model, env(run, Duration.ofSeconds(30)));
        try {
            List<ConsumerRecord<byte[], byte[]>> all = read(broker, run, DOCS);
            Set<String> ids = new HashSet<>();
            all.forEach(r -> ids.add(new String(r.key(), StandardCharsets.UTF_8)));
            System.out.printf("after the restart: %d results for %d documents, %d distinct%n", all.size(), DOCS, ids.size());
            assertEquals(DOCS, ids.size(), "lost documents");
            assertEquals(DOCS, all.size(), "duplicate results");
        } finally {
            worker.destroy();
            worker.waitFor();
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(EmbeddedKafkaBroker broker, String run, int expected) {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < DOCS; i++) {
            keys.add(run + "-" + i);
        }
        return KafkaTestClient.readUntil(broker.bootstrapServers(), Set.of("summaries-" + run), keys,
                seen -> seen.size() >= expected, Duration.ofSeconds(expected == 0 ? 3 : 120));
    }

    private static Map<String, String> env(String run, Duration grace) {
        return Map.of("MP_MESSAGING_INCOMING_DOCUMENTS_TOPIC", "documents-" + run,
                "MP_MESSAGING_OUTGOING_SUMMARIES_TOPIC", "summaries-" + run,
                "PRECIS_SHUTDOWN_GRACE", grace.toSeconds() + "s",
                "PRECIS_MODELS_DEFAULT_MAX_CONCURRENCY", Integer.toString(CONCURRENCY),
                "PRECIS_IN_FLIGHT", Integer.toString(CONCURRENCY),
                "PRECIS_PARTIALS_ENABLED", "false");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
