package dev.precis.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.precis.devbroker.EmbeddedKafkaBroker;
import dev.precis.support.KafkaTestClient.ProducerRecordSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import static org.awaitility.Awaitility.await;

/**
 * Documents through the packaged worker in batch mode (or online, for the same documents' cost),
 * optionally killed with SIGKILL while its batches are pending and started again; then what the
 * fake Batch API saw: batches created, requests submitted again without a reason, requests over
 * the window. Used by the restart test and by the 1,000-document run.
 */
public final class BatchModeRun {

    private static final ObjectMapper JSON = new ObjectMapper();
    public static final double INPUT_PRICE = 0.15;
    public static final double OUTPUT_PRICE = 0.60;

    /** What a run produced. */
    public record Result(int documents, Map<String, Integer> resultsById, int summarized, int batchesCreated,
            int batchesBeforeKill, int pendingAtKill, int pendingAtKillLines, int submittedAgainWithoutCause, int overWindow, int lines, int answeredLines,
            int unclaimed, int batchCalls, int calls, long tokens, double cost, Duration took) {

        public int lost() {
            return (int) (documents - resultsById.size());
        }

        public int duplicated() {
            return (int) resultsById.values().stream().filter(n -> n > 1).count();
        }
    }

    private BatchModeRun() {
    }

    /** {@code count} documents, one in ten long (several chunks), one in seven also translated. */
    public static List<ProducerRecordSpec> documents(String prefix, int count) {
        List<ProducerRecordSpec> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ObjectNode doc = JSON.createObjectNode().put("id", prefix + "-" + i)
                    .put("text", TestDocs.english(i % 10 == 0 ? 700 : 12 + i % 20, i));
            if (i % 7 == 3) {
                doc.put("targetLanguage", "de");
            }
            out.add(new ProducerRecordSpec((prefix + "-" + i).getBytes(StandardCharsets.UTF_8),
                    doc.toString().getBytes(StandardCharsets.UTF_8), Map.of()));
        }
        return out;
    }

    public static Result run(EmbeddedKafkaBroker broker, FakeOpenAi model, FakeBatchApi api, String name,
            int documents, boolean batch, boolean kill, Duration timeout) throws Exception {
        long start = System.nanoTime();
        String topic = "docs-" + name;
        List<ProducerRecordSpec> docs = documents(name, documents);
        KafkaTestClient.send(broker.bootstrapServers(), topic, docs);
        Map<String, String> env = new HashMap<>(CrashRun.FAST_FAILOVER);
        env.putAll(Map.of("MP_MESSAGING_INCOMING_DOCUMENTS_TOPIC", topic,
                "MP_MESSAGING_OUTGOING_SUMMARIES_TOPIC", "summaries-" + name,
                "PRECIS_PARTIALS_TOPIC", "partials-" + name, "PRECIS_BATCH_API_TOPIC", "batches-" + name,
                "PRECIS_MODELS_DEFAULT_BATCH_API", Boolean.toString(batch),
                "PRECIS_MODELS_DEFAULT_INPUT_PRICE_PER_MILLION", Double.toString(INPUT_PRICE),
                "PRECIS_MODELS_DEFAULT_OUTPUT_PRICE_PER_MILLION", Double.toString(OUTPUT_PRICE),
                "PRECIS_BATCH_API_QUIET_FOR", "2s", "PRECIS_BATCH_API_COLLECT_AT_MOST", "10s",
                "PRECIS_BATCH_API_POLL_INTERVAL", "300ms"));
        env.put("PRECIS_BATCH_API_PROGRESS_INTERVAL", "5s");
        int before = api.created().size();
        int beforeKill = 0;
        int pendingAtKill = 0;
        int pendingAtKillLines = 0;
        api.hold(kill);
        Process worker = CrashRun.start(broker, model, env, java.nio.file.Files.createTempFile("precis-" + name, ".log"));
        try {
            if (kill) {
                await("batches pending").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                        .until(() -> api.created().size() - before >= 1);
                // Let the first round's batches all be created (no new one for 2 s), then kill while they are in progress.
                long[] seen = {-1, System.nanoTime()};
                await("the first round's batches").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                        .until(() -> {
                            int n = api.created().size();
                            if (n != seen[0]) {
                                seen[0] = n;
                                seen[1] = System.nanoTime();
                            }
                            return System.nanoTime() - seen[1] > Duration.ofSeconds(2).toNanos();
                        });
                worker.destroyForcibly().waitFor();
                beforeKill = api.created().size() - before;
                List<FakeBatchApi.Created> pending = api.created().stream().skip(before)
                        .filter(c -> !c.status().equals("completed") && !c.status().equals("failed")).toList();
                pendingAtKill = pending.size();
                pendingAtKillLines = pending.stream().mapToInt(c -> c.customIds().size()).sum();
                worker = CrashRun.start(broker, model, env, java.nio.file.Files.createTempFile("precis-" + name, ".log"));
                // The restarted worker takes up its batches, and (once the killed member's session has
                // expired and the group has only it) its redelivered documents, before the batches finish.
                await("the restarted worker owning the input").atMost(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofMillis(200)).until(() -> soleOwner(broker));
                api.hold(false);
            }
            Set<String> ids = new java.util.HashSet<>();
            docs.forEach(d -> ids.add(new String(d.key(), StandardCharsets.UTF_8)));
            List<ConsumerRecord<byte[], byte[]>> out = KafkaTestClient.readUntil(broker.bootstrapServers(),
                    Set.of("summaries-" + name), ids, s -> s.stream().map(r -> new String(r.key(),
                            StandardCharsets.UTF_8)).distinct().count() >= documents, timeout);
            Map<String, Integer> byId = new TreeMap<>();
            int summarized = 0;
            int batchCalls = 0;
            int calls = 0;
            double cost = 0;
            long tokens = 0;
            for (ConsumerRecord<byte[], byte[]> r : out) {
                JsonNode v = JSON.readTree(r.value());
                byId.merge(v.path("id").asText(), 1, Integer::sum);
                summarized += v.path("status").asText().equals("SUMMARIZED") ? 1 : 0;
                batchCalls += v.path("usage").path("batchCalls").asInt();
                calls += v.path("usage").path("llmCalls").asInt();
                cost += v.path("usage").path("estimatedCostUsd").asDouble();
                tokens += v.path("usage").path("inputTokens").asLong() + v.path("usage").path("outputTokens").asLong();
            }
            List<FakeBatchApi.Created> created = api.created().subList(before, api.created().size());
            return new Result(documents, byId, summarized, created.size(), beforeKill, pendingAtKill, pendingAtKillLines,
                    submittedAgainWithoutCause(created, api.ran()), (int) api.ran().stream()
                            .filter(l -> l.status() == 400).count(), api.ran().size(),
                    (int) api.ran().stream().filter(l -> l.status() == 200).count(),
                    unclaimed(broker, "partials-" + name), batchCalls, calls, tokens, cost,
                    Duration.ofNanos(System.nanoTime() - start));
        } finally {
            worker.destroy();
            worker.waitFor();
        }
    }

    /**
     * Answers of a resumed batch kept for a document that never asked for them: the restarted worker,
     * having learnt the server's token ratio from the first answers, cut that document differently.
     * Paid once, charged to no document; read from the partial store, where they stay apart.
     */
    private static int unclaimed(EmbeddedKafkaBroker broker, String topic) {
        Set<String> keys = new java.util.HashSet<>();
        KafkaTestClient.readAll(broker.bootstrapServers(), topic, Duration.ofSeconds(30))
                .forEach(r -> keys.add(new String(r.key(), StandardCharsets.UTF_8)));
        String prefix = "batch-unclaimed:";
        return (int) keys.stream().filter(k -> k.startsWith(prefix) && !keys.contains(k.substring(prefix.length())))
                .count();
    }

    /** Whether the worker's consumer group has one member, the restarted worker, with partitions assigned. */
    private static boolean soleOwner(EmbeddedKafkaBroker broker) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            var group = admin.describeConsumerGroups(List.of("precis")).all().get().get("precis");
            return group.members().size() == 1
                    && !group.members().iterator().next().assignment().topicPartitions().isEmpty();
        }
    }

    /**
     * Requests found in a later batch although the earlier one neither failed, expired nor was
     * cancelled, and did not fail that very line: what a worker that forgot its batches would pay twice.
     */
    static int submittedAgainWithoutCause(List<FakeBatchApi.Created> created, List<FakeBatchApi.Line> ran) {
        Map<String, List<FakeBatchApi.Created>> byRequest = new LinkedHashMap<>();
        for (FakeBatchApi.Created c : created) {
            c.customIds().forEach(id -> byRequest.computeIfAbsent(id, k -> new ArrayList<>()).add(c));
        }
        Map<String, Integer> lineStatus = new HashMap<>();
        ran.forEach(l -> lineStatus.put(l.batchId() + "/" + l.customId(), l.status()));
        int without = 0;
        for (var e : byRequest.entrySet()) {
            List<FakeBatchApi.Created> in = e.getValue();
            for (int i = 0; i + 1 < in.size(); i++) {
                FakeBatchApi.Created earlier = in.get(i);
                boolean cause = Set.of("failed", "expired", "cancelled").contains(earlier.status())
                        || lineStatus.getOrDefault(earlier.id() + "/" + e.getKey(), 200) != 200;
                without += cause ? 0 : 1;
            }
        }
        return without;
    }
}
