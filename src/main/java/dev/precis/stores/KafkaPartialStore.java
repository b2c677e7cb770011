package dev.precis.stores;

import dev.precis.config.KafkaSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.llm.PartialStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
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
 * Partial summaries in a compacted Kafka topic, so that they survive a crash and are shared by every
 * replica: each worker reads the whole topic into memory (the most recent {@code maxEntries}) and
 * keeps following it, and writes what it pays for. Lookups wait for the first full read (up to a
 * limit), so that a document redelivered at startup finds what was stored before the crash.
 */
public final class KafkaPartialStore implements PartialStore, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaPartialStore.class);
    private static final Duration FIRST_READ_WAIT = Duration.ofSeconds(30);

    private final ObjectMapper json = new ObjectMapper();
    private final String topic;
    private final int maxEntries;
    private final KafkaProducer<String, byte[]> producer;
    private final Map<String, Partial> entries;
    private final CountDownLatch loaded = new CountDownLatch(1);
    private final Thread reader;
    private volatile boolean running = true;

    public KafkaPartialStore(Map<String, Object> kafkaConfig, String topic, int maxEntries, Duration retention) {
        this.topic = topic;
        this.maxEntries = maxEntries;
        this.entries = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Partial> eldest) {
                return size() > KafkaPartialStore.this.maxEntries;
            }
        };
        createTopic(KafkaSettings.only(kafkaConfig, AdminClientConfig.configNames()), retention);
        Map<String, Object> producerProps = KafkaSettings.only(kafkaConfig, ProducerConfig.configNames());
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, "precis-partials-writer");
        this.producer = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer());
        Map<String, Object> consumerProps = KafkaSettings.only(kafkaConfig, ConsumerConfig.configNames());
        consumerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, "precis-partials-reader");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProps.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.reader = Thread.ofPlatform().daemon().name("precis-partials-reader").start(() -> follow(consumerProps));
    }

    @Override
    public Optional<Partial> find(String key) {
        try {
            // After the wait, look up whatever has been read so far.
            loaded.await(FIRST_READ_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (entries) {
            return Optional.ofNullable(entries.get(key));
        }
    }

    @Override
    public void save(String key, Partial partial) {
        synchronized (entries) {
            entries.put(key, partial);
        }
        try {
            byte[] value = json.writeValueAsBytes(Map.of("text", partial.text(), "inputTokens", partial.inputTokens(),
                    "outputTokens", partial.outputTokens()));
            producer.send(new ProducerRecord<>(topic, key, value), (meta, error) -> {
                if (error != null) {
                    LOG.warnf("A partial summary could not be stored in %s: %s", topic, error.toString());
                }
            });
        } catch (Exception e) {
            // The store saves money after a crash; failing to write it must not fail the document.
            LOG.warnf("A partial summary could not be stored in %s: %s", topic, e.toString());
        }
    }

    private void follow(Map<String, Object> props) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            Map<TopicPartition, Long> end = CompactedTopicReader.assign(consumer, topic);
            long read = 0;
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    read++;
                    if (r.value() == null || r.key() == null) {
                        continue;
                    }
                    JsonNode v = json.readTree(r.value());
                    synchronized (entries) {
                        entries.put(r.key(), new Partial(v.path("text").asText(), v.path("inputTokens").asInt(),
                                v.path("outputTokens").asInt()));
                    }
                }
                if (loaded.getCount() > 0 && CompactedTopicReader.caughtUp(consumer, end)) {
                    LOG.infof("Partial-summary store: %d stored partials read from %s", read, topic);
                    loaded.countDown();
                }
            }
        } catch (Exception e) {
            if (running) {
                LOG.warnf("Partial-summary store stopped reading %s (%s); partials will not be reused", topic, e.toString());
            }
        } finally {
            loaded.countDown();
        }
    }

    private void createTopic(Map<String, Object> adminProps, Duration retention) {
        try (Admin admin = Admin.create(adminProps)) {
            Map<String, String> configs = new HashMap<>();
            configs.put("cleanup.policy", "compact,delete");
            configs.put("retention.ms", Long.toString(retention.toMillis()));
            admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty()).configs(configs)))
                    .all().get(30, TimeUnit.SECONDS);
            LOG.infof("Created the partial-summary topic %s (compacted, retention %s)", topic, retention);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warnf("Could not create the partial-summary topic %s: %s", topic, e.getCause().toString());
            }
        } catch (Exception e) {
            LOG.warnf("Could not create the partial-summary topic %s: %s", topic, e.toString());
        }
    }

    @Override
    public void close() {
        running = false;
        producer.close(Duration.ofSeconds(5));
        try {
            reader.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
