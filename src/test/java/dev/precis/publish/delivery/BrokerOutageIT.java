package dev.precis.publish.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.precis.support.CrashRun;
import dev.precis.support.FakeOpenAi;
import dev.precis.support.KafkaTestClient.ProducerRecordSpec;
import dev.precis.support.KafkaTestClient;
import dev.precis.support.RestartableBroker;
import dev.precis.support.TestDocs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/**
 * The broker goes away for 30 s in the middle of a run and comes back on the same port with its
 * data: the worker (a separate process) reconnects by itself and every document gets its result.
 */
class BrokerOutageIT {

    private static final int DOCS = 300;

    @Test
    void aThirtySecondBrokerOutageLosesNothing() throws Exception {
        try (RestartableBroker outage = new RestartableBroker(6); FakeOpenAi model = new FakeOpenAi(4096)) {
            model.latency(100);
            try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    outage.broker().bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("documents", 6, (short) 1),
                        new NewTopic("summaries", 6, (short) 1))).all().get();
            }
            List<ProducerRecordSpec> docs = new ArrayList<>();
            for (int i = 0; i < DOCS; i++) {
                docs.add(new ProducerRecordSpec(("doc-" + i).getBytes(StandardCharsets.UTF_8),
                        TestDocs.english(5, i).getBytes(StandardCharsets.UTF_8), Map.of()));
            }
            KafkaTestClient.send(outage.broker().bootstrapServers(), "documents", docs);
            Process worker = CrashRun.start(outage.broker(), model, Map.of("PRECIS_PARTIALS_ENABLED", "false",
                    "PRECIS_MODELS_DEFAULT_MAX_CONCURRENCY", "8", "PRECIS_IN_FLIGHT", "8"));
            Map<String, Integer> seen = new HashMap<>();
            boolean stopped = false;
            int atStop = 0;
            int duringOutage = 0;
            Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
            try {
                while (seen.size() < DOCS && Instant.now().isBefore(deadline)) {
                    try (KafkaConsumer<byte[], byte[]> reader = CrashRun.reader(outage.broker(), false)) {
                        while (seen.size() < DOCS && Instant.now().isBefore(deadline)) {
                            for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
                                seen.merge(new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum);
                            }
                            if (!stopped && seen.size() >= DOCS * 0.3) {
                                break;
                            }
                        }
                    }
                    if (!stopped && seen.size() < DOCS) {
                        stopped = true;
                        atStop = seen.size();
                        outage.stop();
                        long callsBefore = model.requests().size();
                        LockSupport.parkNanos(Duration.ofSeconds(30).toNanos());
                        duringOutage = (int) (model.requests().size() - callsBefore);
                        outage.restart();
                        System.out.printf("broker stopped at %d of %d results for 30 s (%d model calls meanwhile)%n",
                                atStop, DOCS, duringOutage);
                    }
                }
            } finally {
                worker.destroy();
                worker.waitFor();
            }
            long records = seen.values().stream().mapToLong(Integer::longValue).sum();
            System.out.printf("after the outage: %d of %d documents have results, %d records (%d duplicates)%n",
                    seen.size(), DOCS, records, records - seen.size());
            assertTrue(stopped, "the broker was stopped mid-run");
            assertTrue(atStop < DOCS, "the outage came before the end");
            assertEquals(DOCS, seen.size(), "lost documents");
            // The worker was never restarted: redelivery could only come from a rebalance.
            assertTrue(records - seen.size() <= 16, "duplicates: " + (records - seen.size()));
        }
    }
}
