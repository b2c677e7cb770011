package dev.precis.support;

import dev.precis.devbroker.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;

/**
 * Several packaged workers in one consumer group, each told the same tokens-per-minute limit (the
 * organisation's, as a user copies it from the provider's dashboard), against one fake provider
 * whose single bucket they all draw on, as pods on one API key do. One worker may be killed
 * (SIGKILL) partway. Reports what was lost, how many calls were refused with 429, and how much of
 * what the provider's bucket allowed over the measured minutes was used.
 */
public final class FleetRun {

    /** What a run gave. */
    public record Result(int documents, int pods, boolean killed, int lost, long requests, long throttled,
            long used, long allowed, List<Path> logs) {

        public double throttledShare() {
            return requests == 0 ? 0 : (double) throttled / requests;
        }

        public double usedShare() {
            return (double) used / allowed;
        }

        @Override
        public String toString() {
            return String.format("documents %d, pods %d, killed %s, lost %d, requests %d, answered 429 %d (%.2f%%), "
                    + "tokens charged %d of the %d the shared bucket allowed (%.3f)", documents, pods, killed ? "1" : "none",
                    lost, requests, throttled, 100 * throttledShare(), used, allowed, usedShare());
        }
    }

    private static final int PARTITIONS = 6;
    private static final int LATENCY_MS = 150;

    private FleetRun() {
    }

    /**
     * Runs {@code pods} workers over a backlog that outlasts {@code measured} at {@code tokensPerMinute};
     * with {@code kill}, one worker is killed halfway through the measured time.
     */
    public static Result run(int pods, long tokensPerMinute, Duration measured, boolean kill, Duration timeout)
            throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, PARTITIONS); FakeOpenAi model = new FakeOpenAi(4096)) {
            model.latency(LATENCY_MS);
            model.tokensPerMinute(tokensPerMinute);
            try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("documents", PARTITIONS, (short) 1),
                        new NewTopic("summaries", PARTITIONS, (short) 1))).all().get();
            }
            // A call here is charged about 400 tokens (prompt and output cap); the backlog outlasts the measured time.
            int documents = (int) (tokensPerMinute * (measured.toSeconds() / 60.0 + 1.3) / 400);
            List<KafkaTestClient.ProducerRecordSpec> docs = new ArrayList<>();
            for (int i = 0; i < documents; i++) {
                docs.add(new KafkaTestClient.ProducerRecordSpec(("doc-" + i).getBytes(StandardCharsets.UTF_8),
                        TestDocs.english(6, i).getBytes(StandardCharsets.UTF_8), Map.of()));
            }
            KafkaTestClient.send(broker.bootstrapServers(), "documents", docs);

            Map<String, String> env = new java.util.HashMap<>(CrashRun.FAST_FAILOVER);
            env.put("PRECIS_MODELS_DEFAULT_TOKENS_PER_MINUTE", Long.toString(tokensPerMinute));
            env.put("QUARKUS_LOG_CATEGORY__DEV_PRECIS_PARTIALS__LEVEL", System.getProperty("fleet.log", "INFO"));
            List<Process> workers = new ArrayList<>();
            List<Path> logs = new ArrayList<>();
            // -Dfleet.stagger=SECONDS: a worker joins that long after the one before got its first answer,
            // as KEDA adds pods to a group that is already spending.
            long stagger = Long.getLong("fleet.stagger", 0);
            for (int i = 0; i < pods; i++) {
                Path log = Files.createTempFile("precis-fleet-" + i + "-", ".log");
                logs.add(log);
                if (stagger > 0 && i > 0) {
                    long after = i * stagger * 1_000_000_000L;
                    Awaitility.await().atMost(Duration.ofSeconds(i * stagger + 120)).pollInterval(Duration.ofMillis(100))
                            .until(() -> firstAnswered(model) > 0 && System.nanoTime() - firstAnswered(model) >= after);
                }
                workers.add(CrashRun.start(broker, model, env, log));
            }
            Set<String> done = new HashSet<>();
            boolean killed = false;
            try (KafkaConsumer<byte[], byte[]> results = CrashRun.reader(broker, false)) {
                long deadline = System.nanoTime() + timeout.toNanos();
                while (done.size() < documents && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : results.poll(Duration.ofMillis(200))) {
                        done.add(new String(r.key(), StandardCharsets.UTF_8));
                    }
                    long first = firstAnswered(model);
                    if (kill && !killed && first > 0 && System.nanoTime() - first > measured.toNanos() / 2) {
                        workers.get(0).destroyForcibly().waitFor();
                        killed = true;
                        System.out.printf("SIGKILL to one of %d workers at %d of %d documents%n", pods, done.size(),
                                documents);
                    }
                }
            } finally {
                for (Process w : workers) {
                    w.destroy();
                }
                for (Process w : workers) {
                    w.waitFor();
                }
            }
            List<FakeOpenAi.Request> requests = model.requests();
            long first = firstAnswered(model);
            long end = first + measured.toNanos();
            // Charged at arrival: prompt plus output cap of every accepted call in the measured time.
            long used = requests.stream().filter(r -> r.atNanos() >= first && r.atNanos() < end)
                    .mapToLong(FakeOpenAi.Request::tokens).sum();
            // The bucket starts full (a minute's tokens) and refills continuously.
            long allowed = tokensPerMinute + tokensPerMinute * measured.toMillis() / 60_000;
            long throttled = requests.stream().filter(r -> r.status() == 429).count();
            Result result = new Result(documents, pods, killed, documents - done.size(), requests.size(), throttled, used,
                    allowed, logs);
            System.out.println("Fleet: " + result);
            StringBuilder series = new StringBuilder("  tokens charged per 5 s from the first answer:");
            for (long from = first; from < end; from += 5_000_000_000L) {
                long to = from + 5_000_000_000L;
                series.append(' ').append(requests.stream().filter(r -> r.atNanos() >= to - 5_000_000_000L && r.atNanos() < to)
                        .mapToLong(FakeOpenAi.Request::tokens).sum());
            }
            System.out.println(series + " (the bucket refills " + tokensPerMinute / 12 + " in 5 s)");
            StringBuilder refused = new StringBuilder("  429s at seconds after the first answer:");
            requests.stream().filter(r -> r.status() == 429)
                    .forEach(r -> refused.append(String.format(" %.1f", (r.atNanos() - first) / 1e9)));
            System.out.println(refused);
            return result;
        }
    }

    private static long firstAnswered(FakeOpenAi model) {
        return model.requests().stream().filter(r -> r.status() == 200).mapToLong(FakeOpenAi.Request::atNanos).min()
                .orElse(0);
    }
}
