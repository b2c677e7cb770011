package dev.precis.stores;

import dev.precis.config.KafkaSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.llm.batch.BatchLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * The batch ledger in a compacted topic: a record per batch ({@code batch|MODEL|TAG}: its
 * provider id once created) and one per request ({@code request|MODEL|ID}: its batch's tag and
 * its document), removed by tombstones when the batch is done with. Read whole at startup;
 * a batch's records are written, and acknowledged by every in-sync replica, before it is created.
 */
public final class KafkaBatchLedger implements BatchLedger, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaBatchLedger.class);
    private static final Duration WRITE_WAIT = Duration.ofSeconds(30);

    private final ObjectMapper json = new ObjectMapper();
    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private final Map<String, JsonNode> batches = new LinkedHashMap<>();
    private final Map<String, JsonNode> requests = new HashMap<>();

    public KafkaBatchLedger(Map<String, Object> kafkaConfig, String topic) {
        this.topic = topic;
        createTopic(KafkaSettings.only(kafkaConfig, AdminClientConfig.configNames()));
        Map<String, Object> producerProps = KafkaSettings.only(kafkaConfig, ProducerConfig.configNames());
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, "precis-batch-ledger");
        this.producer = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer());
        Map<String, Object> consumerProps = KafkaSettings.only(kafkaConfig, ConsumerConfig.configNames());
        consumerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, "precis-batch-ledger-reader");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProps.remove(ConsumerConfig.GROUP_ID_CONFIG);
        readAll(consumerProps);
    }

    @Override
    public void sealed(String tag, String model, Map<String, String> documentsByRequest) {
        List<java.util.concurrent.Future<?>> writes = new ArrayList<>();
        for (var e : documentsByRequest.entrySet()) {
            writes.add(write("request|" + model + "|" + e.getKey(), Map.of("tag", tag, "document", e.getValue())));
        }
        writes.add(write("batch|" + model + "|" + tag, Map.of("tag", tag, "model", model,
                "sealedAt", Instant.now().toString(), "requests", documentsByRequest.size())));
        awaitAll(writes, "record batch " + tag);
    }

    @Override
    public void created(String tag, String model, String batchId) {
        awaitAll(List.of(write("batch|" + model + "|" + tag, Map.of("tag", tag, "model", model, "batchId", batchId,
                "sealedAt", sealedAt(model, tag).toString()))), "record batch " + batchId);
    }

    @Override
    public void finished(String tag, String model, Collection<String> finishedRequests) {
        for (String id : finishedRequests) {
            producer.send(new ProducerRecord<>(topic, "request|" + model + "|" + id, null));
        }
        producer.send(new ProducerRecord<>(topic, "batch|" + model + "|" + tag, null));
        synchronized (this) {
            batches.remove("batch|" + model + "|" + tag);
        }
    }

    @Override
    public synchronized List<Entry> open(String model) {
        Map<String, Map<String, String>> byTag = new HashMap<>();
        requests.forEach((key, v) -> {
            if (key.startsWith("request|" + model + "|")) {
                byTag.computeIfAbsent(v.path("tag").asText(), t -> new LinkedHashMap<>())
                        .put(key.substring(("request|" + model + "|").length()), v.path("document").asText(""));
            }
        });
        List<Entry> out = new ArrayList<>();
        batches.forEach((key, v) -> {
            if (key.startsWith("batch|" + model + "|")) {
                String tag = v.path("tag").asText();
                out.add(new Entry(tag, model, v.hasNonNull("batchId") ? v.path("batchId").asText() : null,
                        Instant.parse(v.path("sealedAt").asText()), byTag.getOrDefault(tag, Map.of())));
            }
        });
        return out;
    }

    private synchronized Instant sealedAt(String model, String tag) {
        JsonNode v = batches.get("batch|" + model + "|" + tag);
        return v == null ? Instant.now() : Instant.parse(v.path("sealedAt").asText());
    }

    private java.util.concurrent.Future<?> write(String key, Map<String, Object> value) {
        try {
            byte[] bytes = json.writeValueAsBytes(value);
            synchronized (this) {
                if (key.startsWith("batch|")) {
                    batches.put(key, json.readTree(bytes));
                }
            }
            return producer.send(new ProducerRecord<>(topic, key, bytes));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A batch must not be created unless its record is safe: a failed write stops the submission. */
    private static void awaitAll(List<java.util.concurrent.Future<?>> writes, String what) {
        try {
            for (var w : writes) {
                w.get(WRITE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while trying to " + what);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Could not " + what + " in the batch ledger: " + e, e);
        }
    }

    private void readAll(Map<String, Object> props) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            Map<TopicPartition, Long> end = CompactedTopicReader.assign(consumer, topic);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!CompactedTopicReader.caughtUp(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The batch ledger " + topic + " could not be read within 60 s");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    apply(r.key(), r.value());
                }
            }
            LOG.infof("Batch ledger %s: %d unfinished batches, %d requests in them", topic, batches.size(),
                    requests.size());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("The batch ledger " + topic + " holds a record that is not JSON", e);
        }
    }

    private void apply(String key, byte[] value) throws java.io.IOException {
        if (key == null) {
            return;
        }
        Map<String, JsonNode> into = key.startsWith("batch|") ? batches : requests;
        if (value == null) {
            into.remove(key);
        } else {
            into.put(key, json.readTree(value));
        }
    }

    private void createTopic(Map<String, Object> adminProps) {
        try (Admin admin = Admin.create(adminProps)) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(Map.of("cleanup.policy", "compact")))).all().get(30, TimeUnit.SECONDS);
            LOG.infof("Created the batch ledger topic %s (compacted)", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warnf("Could not create the batch ledger topic %s: %s", topic, e.getCause().toString());
            }
        } catch (Exception e) {
            LOG.warnf("Could not create the batch ledger topic %s: %s", topic, e.toString());
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
