package dev.precis.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.config.Messaging;
import dev.precis.config.PrecisConfig;
import dev.precis.config.KafkaSettings;
import dev.precis.publish.Headers;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * What the HTTP API knows of results: the latest results and dead letters, read from their topics
 * by a consumer of its own (no group: every replica sees every partition), kept up to
 * {@code precis.http.results-kept} by document id, and passed on live to whoever streams them.
 * After a restart it reads the topics' last records again, so the view is never empty for long.
 * It starts with the first request that needs it: a worker whose API nobody calls reads nothing.
 */
@ApplicationScoped
public class ResultView {

    private static final Logger LOG = Logger.getLogger(ResultView.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    // Events one slow reader may be behind before its stream ends with an overflow.
    private static final int LIVE_BUFFER = 4096;

    private final Map<String, Object> kafkaConfig;
    private final String resultsTopic;
    private final String deadLetterTopic;
    private final String correlationHeader;
    private final int kept;
    private final Map<String, Published> latest;
    // One emitter per reader, each with its own buffer: a reader that has not asked for the next
    // event yet (an SSE write in flight, a subscription not yet done) gets it later instead of failing.
    private final List<MultiEmitter<? super Published>> readers = new CopyOnWriteArrayList<>();
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean stopping;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch loaded = new CountDownLatch(1);
    // End offsets at assignment: the view is loaded once it has read up to them.
    private final Map<TopicPartition, Long> tails = new ConcurrentHashMap<>();

    ResultView(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, Messaging messaging,
            PrecisConfig config) {
        this.kafkaConfig = kafkaConfig;
        this.resultsTopic = messaging.resultsTopic();
        this.deadLetterTopic = config.deadLetterTopic();
        this.correlationHeader = config.correlationHeader();
        this.kept = config.http().resultsKept();
        this.latest = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Published> eldest) {
                return size() > kept;
            }
        };
    }

    /** One record on the results or dead-letter topic: its document id, kind and JSON. */
    public record Published(String id, String kind, String correlationId, String json) {
    }

    /** Starts reading, once; a request that reads results waits up to 5 s for the topics' tails. */
    void start() {
        if (started.compareAndSet(false, true)) {
            Thread reader = new Thread(this::read, "precis-result-view");
            reader.setDaemon(true);
            reader.start();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** The latest result or dead letter of document {@code id}, if the view holds it. */
    public Optional<Published> get(String id) throws InterruptedException {
        start();
        if (!loaded.await(5, TimeUnit.SECONDS)) {
            // Not caught up in 5 s (a topic that does not exist yet, a slow group join): wait no more.
            loaded.countDown();
        }
        synchronized (this) {
            return Optional.ofNullable(latest.get(id));
        }
    }

    /** Results and dead letters as they are published from now on. */
    public Multi<Published> live() {
        start();
        return Multi.createFrom().emitter(reader -> {
            readers.add(reader);
            reader.onTermination(() -> readers.remove(reader));
        }, LIVE_BUFFER);
    }

    private void read() {
        Map<String, Object> props = KafkaSettings.only(kafkaConfig, ConsumerConfig.configNames());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "precis-result-view-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "precis-result-view");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            // Subscribed, not assigned: topics that do not exist yet are picked up when they appear.
            c.subscribe(List.of(resultsTopic, deadLetterTopic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    // The last records of each partition: enough to fill the view, whatever the spread.
                    Map<TopicPartition, Long> ends = c.endOffsets(partitions);
                    Map<TopicPartition, Long> starts = c.beginningOffsets(partitions);
                    long share = Math.max(1, kept / Math.max(1, partitions.size()));
                    partitions.forEach(p -> c.seek(p, Math.max(starts.get(p), ends.get(p) - share)));
                    tails.putAll(ends);
                }
            });
            while (!stopping) {
                var records = c.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    Published published = published(r);
                    if (published != null) {
                        synchronized (this) {
                            latest.remove(published.id());
                            latest.put(published.id(), published);
                        }
                        readers.forEach(reader -> reader.emit(published));
                    }
                }
                if (!tails.isEmpty() && tails.entrySet().stream().allMatch(t -> c.position(t.getKey()) >= t.getValue())) {
                    loaded.countDown();
                }
            }
        } catch (WakeupException e) {
            // Stopping.
        } catch (RuntimeException e) {
            if (!stopping) {
                LOG.errorf("The HTTP API's view of results stopped: %s", e.toString());
            }
        }
    }

    private Published published(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) {
            return null;
        }
        String id = new String(r.key(), StandardCharsets.UTF_8);
        String correlation = header(r, correlationHeader);
        if (r.topic().equals(resultsTopic)) {
            return r.value() == null ? null
                    : new Published(id, "result", correlation, new String(r.value(), StandardCharsets.UTF_8));
        }
        // A dead letter's value is the input as it came; what the API shows is why it was refused.
        String json = JSON.createObjectNode().put("id", id).put("status", "DEAD_LETTERED")
                .put("code", header(r, Headers.DLQ_CODE)).put("reason", header(r, Headers.DLQ_REASON)).toString();
        return new Published(id, "dead-letter", correlation, json);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
