package dev.precis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.publish.Headers;
import dev.precis.publish.IdempotencyKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the results and dead-letter topics without a consumer group: first what they hold (to find
 * documents already summarized), then what is published after that (to follow a run).
 */
final class OutcomeReader implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one output record says: whose it is, its idempotency key (results) and how it ended. */
    record Fate(String id, String idempotencyKey, String status, String reason) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String resultsTopic;
    private final List<String> topics;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private long lastLook;

    OutcomeReader(Map<String, Object> clientConfig, String resultsTopic, String deadLetterTopic) {
        Map<String, Object> props = new HashMap<>(clientConfig);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "precis-cli-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.resultsTopic = resultsTopic;
        this.topics = List.of(resultsTopic, deadLetterTopic);
        partitions.addAll(partitionsNow());
        consumer.assign(partitions);
    }

    /** The topics' partitions as the cluster has them now (a topic not created yet has none). */
    private List<TopicPartition> partitionsNow() {
        List<TopicPartition> out = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos != null) {
                infos.forEach(i -> out.add(new TopicPartition(i.topic(), i.partition())));
            }
        }
        return out;
    }

    /**
     * On a new cluster the output topics appear with the first output: partitions found since the
     * start are read from their beginning, which is after this run began.
     */
    private void lookForNewPartitions() {
        if (System.nanoTime() - lastLook < 1_000_000_000L) {
            return;
        }
        lastLook = System.nanoTime();
        List<TopicPartition> added = partitionsNow().stream().filter(p -> !partitions.contains(p)).toList();
        if (!added.isEmpty()) {
            partitions.addAll(added);
            consumer.assign(partitions);
            consumer.seekToBeginning(added);
        }
    }

    /**
     * The idempotency keys of the SUMMARIZED results the results topic holds now, each also without
     * its model ("id:hash:p1/"). Reading stops at the end offsets seen when it starts; {@link #next}
     * goes on from there.
     */
    Set<String> summarizedSoFar() {
        Set<String> keys = new HashSet<>();
        // id, ':', 24 hex digits of hash, ':', the pipeline version, '/': the part before the model.
        int fixed = 1 + 24 + 1 + IdempotencyKey.PIPELINE_VERSION.length() + 1;
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        while (!partitions.isEmpty() && partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                Fate fate = fate(r);
                if (fate != null && fate.idempotencyKey() != null && "SUMMARIZED".equals(fate.status())) {
                    keys.add(fate.idempotencyKey());
                    if (fate.idempotencyKey().length() >= fate.id().length() + fixed) {
                        keys.add(fate.idempotencyKey().substring(0, fate.id().length() + fixed));
                    }
                }
            }
        }
        // Dead letters of earlier runs are not this run's: follow the dead-letter topic from its end.
        partitions.stream().filter(p -> !p.topic().equals(resultsTopic))
                .forEach(p -> consumer.seek(p, ends.get(p)));
        return keys;
    }

    /** The output records published since the last call, waiting up to {@code wait} for some. */
    Collection<Fate> next(Duration wait) throws InterruptedException {
        lookForNewPartitions();
        List<Fate> out = new ArrayList<>();
        if (partitions.isEmpty()) {
            Thread.sleep(wait.toMillis());
            return out;
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(wait)) {
            Fate fate = fate(r);
            if (fate != null) {
                out.add(fate);
            }
        }
        return out;
    }

    private Fate fate(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) {
            return null;
        }
        String id = new String(r.key(), StandardCharsets.UTF_8);
        if (!r.topic().equals(resultsTopic)) {
            var code = r.headers().lastHeader(Headers.DLQ_CODE);
            var reason = r.headers().lastHeader(Headers.DLQ_REASON);
            String why = code == null ? null : new String(code.value(), StandardCharsets.UTF_8)
                    + (reason == null ? "" : ": " + new String(reason.value(), StandardCharsets.UTF_8));
            return new Fate(id, null, "DEAD_LETTERED", why);
        }
        if (r.value() == null) {
            return null;
        }
        try {
            JsonNode result = JSON.readTree(r.value());
            return new Fate(id, result.path("idempotencyKey").asText(null), result.path("status").asText(null),
                    result.path("error").asText(null));
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
