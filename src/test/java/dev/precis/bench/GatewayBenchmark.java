package dev.precis.bench;

import dev.precis.devbroker.EmbeddedKafkaBroker;
import dev.precis.support.FakeOpenAi;
import dev.precis.support.KafkaTestClient.ProducerRecordSpec;
import dev.precis.support.KafkaTestClient;
import dev.precis.support.TestDocs;
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
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Drives the packaged worker (a separate process) through a real broker against the fake provider
 * and prints, in one run: (1) documents per second against the bound of Little's law (in flight /
 * latency) with a fixed latency, no token limit and nothing set but {@code PRECIS_IN_FLIGHT};
 * (2) under a provider that enforces tokens per minute as OpenAI describes it (a bucket refilled
 * continuously, each request charged at arrival with its prompt plus its {@code max_tokens}), the
 * share of what that bucket allowed which the worker used, and the share of requests answered 429.
 * Needs {@code ./mvnw -B package -DskipTests} first.
 */
public final class GatewayBenchmark {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    private GatewayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException("Build the worker first: ./mvnw -B package -DskipTests");
        }
        int ceiling = Integer.getInteger("bench.in-flight", 64);
        long latencyMs = Long.getLong("bench.latency-ms", 500);
        long tpm = Long.getLong("bench.tpm", 150_000);
        int tpmMinutes = Integer.getInteger("bench.tpm-minutes", 2);
        boolean tpmPart = !Boolean.getBoolean("bench.little-only");
        boolean littlePart = !Boolean.getBoolean("bench.tpm-only");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, 12); FakeOpenAi model = new FakeOpenAi(16_384)) {
            // 1. Throughput against Little's law: every document is one call of latencyMs.
            model.latency(latencyMs);
            double bound = ceiling * 1000.0 / latencyMs;
            // Long enough that start-up and JIT warm-up are a small part; the rate is taken after them.
            int docs = (int) Math.max(1_000, bound * Integer.getInteger("bench.seconds", 60));
            // A document's call is charged about 650 tokens (prompt + cap); the backlog must outlast the minutes measured.
            int tpmDocs = (int) (tpm * (tpmMinutes + 2) / 600);
            // All input is written before any worker starts.
            if (littlePart) {
                prepare(broker, "little", docs);
            }
            prepare(broker, "tpm", tpmDocs);
            if (littlePart) {
                Run little = run(broker, model, "little", docs, ceiling, Map.of());
                double rate = little.steadyRate();
                System.out.printf("Little's law: %d documents, PRECIS_IN_FLIGHT=%d, latency %d ms: %.1f documents/s; "
                        + "bound %.1f/s; ratio %.3f (target >= 0.95); most calls in flight at the provider: %d%n",
                        docs, ceiling, latencyMs, rate, bound, rate / bound, model.mostInFlight());
                System.out.printf("Worker CPU per model call between 20%% and 90%% of the results: %.2f ms "
                        + "(target <= 1 ms; %.1f s of CPU for %d calls)%n", little.steadyCpuSeconds() * 1000
                        / little.steadyCalls(), little.steadyCpuSeconds(), little.steadyCalls());
            }

            if (!tpmPart) {
                return;
            }
            // 2. A tokens-per-minute limit at the provider and the same budget in the worker.
            model.reset();
            model.latency(latencyMs);
            model.tokensPerMinute(tpm);
            Run limited = run(broker, model, "tpm", tpmDocs, ceiling, Map.of(
                    "PRECIS_MODELS_DEFAULT_TOKENS_PER_MINUTE", Long.toString(tpm),
                    "PRECIS_LLM_RATE_WINDOW", System.getProperty("bench.rate-window", "1m")));
            List<FakeOpenAi.Request> requests = model.requests();
            long first = requests.stream().filter(r -> r.status() == 200).mapToLong(FakeOpenAi.Request::atNanos).min().orElseThrow();
            long end = first + Duration.ofMinutes(tpmMinutes).toNanos();
            // Charged at arrival: prompt + max_tokens of every accepted request in the measured minutes.
            long used = requests.stream().filter(r -> r.atNanos() >= first && r.atNanos() < end)
                    .mapToLong(FakeOpenAi.Request::tokens).sum();
            // The bucket starts full (a minute's tokens) and refills a minute's tokens each minute.
            long allowed = tpm + tpm * tpmMinutes;
            long throttled = requests.stream().filter(r -> r.status() == 429).count();
            double meanCap = requests.stream().filter(r -> r.status() == 200).mapToInt(FakeOpenAi.Request::maxTokens)
                    .average().orElse(0);
            double meanPrompt = requests.stream().filter(r -> r.status() == 200).mapToInt(FakeOpenAi.Request::promptTokens)
                    .average().orElse(0);
            System.out.printf("Tokens per minute: limit %d, %d documents (%d done), %d requests (mean prompt %.0f, mean "
                    + "max_tokens %.0f); charged %d of the %d the bucket allowed over the first %d minutes: %.1f%% "
                    + "(target >= 95%%); answered 429: %d = %.2f%% (target <= 0.5%%)%n",
                    tpm, tpmDocs, limited.results(), requests.size(), meanPrompt, meanCap, used, allowed, tpmMinutes,
                    100.0 * used / allowed, throttled, 100.0 * throttled / requests.size());
            long burstEnd = first + Duration.ofSeconds(5).toNanos();
            long burst = requests.stream().filter(r -> r.atNanos() >= first && r.atNanos() < burstEnd)
                    .mapToLong(FakeOpenAi.Request::tokens).sum();
            long steady = requests.stream().filter(r -> r.atNanos() >= burstEnd && r.atNanos() < end)
                    .mapToLong(FakeOpenAi.Request::tokens).sum();
            System.out.printf("  of which %d in the first 5 s (the bucket held %d and refills %d in 5 s), then %.0f "
                    + "tokens/s (refill %.0f/s)%n", burst, tpm, tpm / 12, steady / ((end - burstEnd) / 1e9), tpm / 60.0);
            StringBuilder when = new StringBuilder();
            long charged = 0;
            for (FakeOpenAi.Request r : requests) {
                if (r.status() == 429) {
                    double at = (r.atNanos() - first) / 1e9;
                    when.append(String.format(" %.2f (after %d charged; the bucket allowed %d by then)", at, charged,
                            (long) (tpm + tpm / 60.0 * at)));
                }
                charged += r.tokens();
            }
            System.out.println("429s at seconds after the first request:" + when);
        }
    }

    /** Result arrival times, for the steady-state rate. */
    private record Run(List<Long> arrivals, double cpuAt20, double cpuAt90) {

        /** The worker's CPU seconds between 20% and 90% of the results (start-up and tail left out). */
        double steadyCpuSeconds() {
            return cpuAt90 - cpuAt20;
        }

        int steadyCalls() {
            return arrivals.size() * 9 / 10 - arrivals.size() * 2 / 10;
        }

        int results() {
            return arrivals.size();
        }

        /** Results per second between the 30th and 95th percentile of arrival (warm-up and tail left out). */
        double steadyRate() {
            List<Long> sorted = arrivals.stream().sorted().toList();
            int from = sorted.size() * 3 / 10;
            int to = sorted.size() * 95 / 100;
            return (to - from) / ((sorted.get(to) - sorted.get(from)) / 1e9);
        }
    }

    private static void prepare(EmbeddedKafkaBroker broker, String name, int docs) throws Exception {
        String in = "bench-" + name + "-in";
        String out = "bench-" + name + "-out";
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(in, 12, (short) 1), new NewTopic(out, 12, (short) 1))).all().get();
        }
        List<ProducerRecordSpec> records = new ArrayList<>();
        for (int i = 0; i < docs; i++) {
            String id = name + "-" + i;
            records.add(new ProducerRecordSpec(id.getBytes(StandardCharsets.UTF_8),
                    TestDocs.english(25, i).getBytes(StandardCharsets.UTF_8), Map.of()));
        }
        KafkaTestClient.send(broker.bootstrapServers(), in, records);
    }

    private static Run run(EmbeddedKafkaBroker broker, FakeOpenAi model, String name, int docs, int ceiling,
            Map<String, String> env) throws Exception {
        String in = "bench-" + name + "-in";
        String out = "bench-" + name + "-out";
        Process worker = start(broker, model, in, out, ceiling, env);
        List<Long> arrivals = new ArrayList<>();
        double[] cpu = new double[2];
        try (KafkaConsumer<byte[], byte[]> results = reader(broker, out)) {
            Set<String> seen = new HashSet<>();
            Instant deadline = Instant.now().plus(Duration.ofMinutes(15));
            while (seen.size() < docs && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<byte[], byte[]> r : results.poll(Duration.ofMillis(100))) {
                    if (seen.add(new String(r.key(), StandardCharsets.UTF_8))) {
                        arrivals.add(System.nanoTime());
                        if (seen.size() == docs * 2 / 10) {
                            cpu[0] = WorkerRun.cpuSeconds(worker.pid());
                        } else if (seen.size() == docs * 9 / 10) {
                            cpu[1] = WorkerRun.cpuSeconds(worker.pid());
                        }
                    }
                }
            }
        } finally {
            worker.destroy();
            worker.waitFor();
        }
        return new Run(arrivals, cpu[0], cpu[1]);
    }

    private static Process start(EmbeddedKafkaBroker broker, FakeOpenAi model, String in, String out, int ceiling,
            Map<String, String> extra) throws Exception {
        Path log = Files.createTempFile("precis-bench", ".log");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        String jvmArgs = System.getProperty("bench.jvm-args", "").strip();
        if (!jvmArgs.isEmpty()) {
            // For example a flight recording: -XX:StartFlightRecording=settings=profile,filename=run.jfr
            command.addAll(List.of(jvmArgs.split("\\s+")));
        }
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = new HashMap<>(Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "PRECIS_SUMMARIZER", "llm", "OPENAI_BASE_URL", model.baseUrl(),
                "PRECIS_MODELS_DEFAULT_MODEL_NAME", "fake-bench", "OPENAI_API_KEY", "sk-bench",
                "PRECIS_MODELS_DEFAULT_CONTEXT_WINDOW", "16384", "PRECIS_MODELS_DEFAULT_MAX_OUTPUT_TOKENS", "1024",
                "PRECIS_IN_FLIGHT", Integer.toString(ceiling), "QUARKUS_HTTP_PORT", "0"));
        env.put("MP_MESSAGING_INCOMING_DOCUMENTS_TOPIC", in);
        env.put("MP_MESSAGING_OUTGOING_SUMMARIES_TOPIC", out);
        env.put("MP_MESSAGING_INCOMING_DOCUMENTS_GROUP_ID", "bench-" + UUID.randomUUID());
        env.put("QUARKUS_LOG_CATEGORY__DEV_PRECIS_INGEST__LEVEL", "WARN");
        env.putAll(extra);
        pb.environment().putAll(env);
        System.out.println("Worker log: " + log);
        return pb.start();
    }

    private static KafkaConsumer<byte[], byte[]> reader(EmbeddedKafkaBroker broker, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        c.subscribe(Set.of(topic));
        return c;
    }
}
