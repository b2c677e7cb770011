package dev.precis.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.devbroker.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Runs the packaged worker as a separate process over a real broker, stops it at given points of
 * progress (SIGKILL, or SIGTERM for a graceful stop) and restarts it, and reads the results as a
 * set: which ids have results, with which idempotency keys, and how many duplicates the
 * uncommitted work at each stop could explain.
 */
public final class CrashRun {

    /** A stop at a fraction of the documents done; {@code graceful}: SIGTERM instead of SIGKILL. */
    public record Stop(double at, boolean graceful) {
    }

    /** What a run produced. */
    public record Result(int documents, int stops, Map<String, List<String>> keysById, long duplicates,
            long duplicateBound, int modelCalls, Duration took, int outOfOrder) {

        public int lost() {
            return documents - keysById.size();
        }

        public boolean duplicatesShareTheirKey() {
            return keysById.values().stream().allMatch(k -> new HashSet<>(k).size() == 1);
        }
    }

    private static final int CONCURRENCY = 16;
    // The engine commits written offsets this often while work is open.
    private static final int COMMIT_INTERVAL_MS = 200;
    private static final int PARTITIONS = 6;

    private CrashRun() {
    }

    public static Result run(int documents, List<Stop> stops, Duration timeout) throws Exception {
        return run(documents, stops, timeout, false);
    }

    /**
     * Like {@link #run(int, List, Duration)}; with {@code exactlyOnce} the worker runs in its
     * transactional mode and results are read with {@code read_committed}.
     */
    public static Result run(int documents, List<Stop> stops, Duration timeout, boolean exactlyOnce) throws Exception {
        return run(documents, stops, timeout, exactlyOnce, Map.of());
    }

    /** Like {@link #run(int, List, Duration, boolean)}, with more environment for the worker. */
    public static Result run(int documents, List<Stop> stops, Duration timeout, boolean exactlyOnce,
            Map<String, String> extra) throws Exception {
        // The delivery mode is one setting.
        Map<String, String> env = new java.util.HashMap<>(FAST_FAILOVER);
        env.putAll(extra);
        if (exactlyOnce) {
            env.put("PRECIS_DELIVERY", "exactly-once");
        }
        Instant started = Instant.now();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, PARTITIONS); FakeOpenAi model = new FakeOpenAi(4096)) {
            model.latency(40);
            try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("documents", PARTITIONS, (short) 1),
                        new NewTopic("summaries", PARTITIONS, (short) 1))).all().get();
            }
            List<KafkaTestClient.ProducerRecordSpec> docs = new ArrayList<>();
            for (int i = 0; i < documents; i++) {
                docs.add(new KafkaTestClient.ProducerRecordSpec(("doc-" + i).getBytes(StandardCharsets.UTF_8),
                        TestDocs.english(6, i).getBytes(StandardCharsets.UTF_8), Map.of()));
            }
            KafkaTestClient.send(broker.bootstrapServers(), "documents", docs);

            Map<String, List<String>> keysById = new HashMap<>();
            List<Long> arrivals = new ArrayList<>();
            Map<Integer, Long> lastOffset = new HashMap<>();
            int outOfOrder = 0;
            long bound = 0;
            int done = 0;
            Process worker = start(broker, model, env);
            try (KafkaConsumer<byte[], byte[]> results = reader(broker, exactlyOnce)) {
                Instant deadline = Instant.now().plus(timeout);
                while (keysById.size() < documents && Instant.now().isBefore(deadline)) {
                    for (ConsumerRecord<byte[], byte[]> r : results.poll(Duration.ofMillis(200))) {
                        String id = new String(r.key(), StandardCharsets.UTF_8);
                        String key = new ObjectMapper().readTree(r.value()).path("idempotencyKey").asText();
                        keysById.computeIfAbsent(id, k -> new ArrayList<>()).add(key);
                        // Input and output topics have the same partition count and the key is the id,
                        // so a result lands in the partition number its document came from.
                        long offset = new ObjectMapper().readTree(r.value()).path("source").path("offset").asLong();
                        Long before = lastOffset.put(r.partition(), offset);
                        if (before != null && offset < before) {
                            outOfOrder++;
                        }
                        arrivals.add(System.nanoTime());
                    }
                    if (done < stops.size() && keysById.size() >= stops.get(done).at() * documents) {
                        Stop stop = stops.get(done);
                        // Results written since the last commit could come again, plus what was in flight.
                        long since = System.nanoTime() - Duration.ofMillis(COMMIT_INTERVAL_MS + 1_000).toNanos();
                        bound += arrivals.stream().filter(t -> t >= since).count() + CONCURRENCY * 2L;
                        if (stop.graceful()) {
                            worker.destroy();
                        } else {
                            worker.destroyForcibly();
                        }
                        worker.waitFor();
                        done++;
                        System.out.printf("%s %d at %d of %d documents%n", stop.graceful() ? "SIGTERM" : "SIGKILL",
                                done, keysById.size(), documents);
                        worker = start(broker, model, env);
                    }
                }
            } finally {
                worker.destroy();
                worker.waitFor();
            }
            long records = keysById.values().stream().mapToLong(List::size).sum();
            Result result = new Result(documents, done, keysById, records - keysById.size(), bound,
                    model.requests().size(), Duration.between(started, Instant.now()), outOfOrder);
            System.out.printf("%s: documents %d, stops %d, results %d, lost %d, duplicates %d (bound %d), model calls %d, "
                    + "%d s, results behind a later input offset of their partition %d%n",
                    exactlyOnce ? "exactly-once" : "at-least-once", documents, done, records, result.lost(),
                    result.duplicates(), bound, result.modelCalls(), result.took().toSeconds(), outOfOrder);
            return result;
        }
    }

    /**
     * Consumer settings for runs that SIGKILL the worker: a killed member stays in the group until
     * its session times out (45 s by default), and the restarted worker's partitions wait for it.
     * Ten seconds keeps the restart the same and the wait short.
     */
    public static final Map<String, String> FAST_FAILOVER = Map.of(
            "MP_MESSAGING_INCOMING_DOCUMENTS_SESSION_TIMEOUT_MS", "10000",
            "MP_MESSAGING_INCOMING_DOCUMENTS_HEARTBEAT_INTERVAL_MS", "1000");

    /** The packaged worker against this broker and fake, with extra environment; its log goes to a temp file. */
    public static Process start(EmbeddedKafkaBroker broker, FakeOpenAi model, Map<String, String> extra) throws Exception {
        return start(broker, model, extra, Files.createTempFile("precis-crash", ".log"));
    }

    /** Like {@link #start(EmbeddedKafkaBroker, FakeOpenAi, Map)}, logging to the given file. */
    public static Process start(EmbeddedKafkaBroker broker, FakeOpenAi model, Map<String, String> extra, Path log)
            throws Exception {
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-jar", "target/quarkus-app/quarkus-run.jar").redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(Map.ofEntries(Map.entry("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers()),
                Map.entry("PRECIS_SUMMARIZER", "llm"), Map.entry("OPENAI_BASE_URL", model.baseUrl()),
                Map.entry("PRECIS_MODELS_DEFAULT_MODEL_NAME", "fake-crash"),
                Map.entry("OPENAI_API_KEY", "sk-crash"),
                Map.entry("PRECIS_MODELS_DEFAULT_CONTEXT_WINDOW", "4096"), Map.entry("PRECIS_MODELS_DEFAULT_MAX_OUTPUT_TOKENS", "512"),
                Map.entry("PRECIS_MODELS_DEFAULT_MAX_CONCURRENCY", Integer.toString(CONCURRENCY)),
                Map.entry("PRECIS_IN_FLIGHT", Integer.toString(CONCURRENCY)),
                Map.entry("QUARKUS_HTTP_PORT", "0")));
        pb.environment().putAll(extra);
        return pb.start();
    }

    /** A consumer of {@code summaries} from the start, in a group of its own (committing as it reads). */
    public static KafkaConsumer<byte[], byte[]> reader(EmbeddedKafkaBroker broker, boolean readCommitted) {
        Properties p = new Properties();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "crash-check");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        c.subscribe(Set.of("summaries"));
        return c;
    }
}
