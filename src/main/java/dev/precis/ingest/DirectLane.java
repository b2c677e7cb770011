package dev.precis.ingest;

import dev.precis.config.Messaging;
import dev.precis.config.PrecisConfig;
import dev.precis.config.Tracing;
import dev.precis.ops.metrics.PrecisMetrics;
import dev.precis.publish.delivery.ExactlyOnce;
import dev.precis.publish.delivery.RetryTopic;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * The engine every document travels by: the input, and the retry topics when they are on, read by one plain Kafka consumer and every output
 * written by one producer, in every mode — with or without a model, at-least-once or exactly-once,
 * traced or not. {@link LaneLoop} polls and commits; {@link LaneWorkers} process; {@link
 * OutputWriter} writes. A record is never committed before its output is written, and a key's
 * versions come out in input order.
 */
@ApplicationScoped
public class DirectLane {

    private static final Logger LOG = Logger.getLogger(DirectLane.class);

    private final RecordProcessor processor;
    private final PrecisMetrics metrics;
    private final PrecisConfig config;
    private final Messaging messaging;
    private final Map<String, Object> kafka;
    private final Config settings;
    private final ExactlyOnce exactlyOnce;
    private final RetryTopic retryTopic;
    private final DocumentTraces traces;
    private volatile LaneLoop loop;
    private volatile KafkaProducer<byte[], byte[]> producer;
    private Thread thread;

    public DirectLane(RecordProcessor processor, PrecisMetrics metrics, PrecisConfig config, Messaging messaging,
            @Identifier("default-kafka-broker") Map<String, Object> kafka, Config settings, ExactlyOnce exactlyOnce,
            RetryTopic retryTopic, OpenTelemetry telemetry, Tracer tracer) {
        this.processor = processor;
        this.metrics = metrics;
        this.config = config;
        this.messaging = messaging;
        this.kafka = kafka;
        this.settings = settings;
        this.exactlyOnce = exactlyOnce;
        this.retryTopic = retryTopic;
        // Spans only when they go somewhere: with no exporter a span per document costs for nothing.
        this.traces = Tracing.exported(settings) ? new DocumentTraces(telemetry, tracer) : null;
    }

    /**
     * Documents worked on at once: {@code precis.in-flight} with a model, or with a model on the
     * Batch API (whose documents wait hours for their answers) {@code precis.batch-api.documents-in-flight};
     * twice the processors without a model.
     */
    public int capacity() {
        int processors = Runtime.getRuntime().availableProcessors();
        boolean batchApi = config.models().values().stream().anyMatch(m -> m.batchApi().orElse(false));
        return extractive() ? Math.max(2, 2 * processors)
                : batchApi ? config.batchApi().documentsInFlight() : config.inFlight();
    }

    /** Null while the lane reads and writes; else what keeps it from doing so, in Kafka's words. */
    public String problem() {
        LaneLoop l = loop;
        return l == null ? null : l.problem();
    }

    // Right after the embedded broker (when there is one) and the startup plan, before the other
    // start-up work: the first result is what a scale-from-zero waits for.
    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 10) StartupEvent event) {
        List<String> topics = new ArrayList<>(List.of(messaging.inputTopic()));
        if (retryTopic.enabled()) {
            // Records come back from the retry topics to the same workers, in the same group.
            topics.addAll(retryTopic.topics());
        }
        producer = new KafkaProducer<>(DirectClients.producer(kafka, settings,
                "precis-direct-results", extractive(), List.of(processor.outputs().resultsTopic(), config.deadLetterTopic())));
        int capacity = capacity();
        // Records read ahead of the workers: a poll's worth or two without a model (each takes a
        // fraction of a millisecond), as many as the workers with one (each may be megabytes).
        int highWater = extractive() ? 2 * DirectClients.MAX_POLL_RECORDS : capacity;
        KafkaProducer<byte[], byte[]> producer = this.producer;
        loop = new LaneLoop(config, new LaneLoop.Parts(
                listener -> new LaneConsumer(DirectClients.consumer(kafka, settings, "precis-direct-"
                        + messaging.groupId(), extractive()), topics, listener),
                producer,
                stopping -> new LaneWorkers(capacity, threads -> new OutputWriter(processor, metrics, producer, threads,
                        retryTopic, config.deadLetterTopic(), traces), retryTopic, stopping),
                exactlyOnce.output().orElse(null), highWater));
        thread = Thread.ofPlatform().name("precis-direct-lane").start(loop::run);
        LOG.infof("Direct lane: reading %s as group %s (%s protocol), writing %s, %d documents at once",
                String.join(", ", topics),
                messaging.groupId(), loop.input().protocol(), processor.outputs().resultsTopic(), capacity);
    }

    // Before the graceful stop, which then finds nothing in flight.
    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE - 1) ShutdownEvent event)
            throws InterruptedException {
        if (thread == null) {
            return;
        }
        loop.stop();
        if (!thread.join(config.shutdownGrace().plusSeconds(5))) {
            LOG.warnf("Stopping: the direct lane did not finish within %s; what is not committed is read again",
                    config.shutdownGrace());
        }
    }

    /**
     * Writes a record with the engine's producer (a document submitted over HTTP to the input topic):
     * one producer for every record the worker writes.
     */
    public CompletableFuture<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<RecordMetadata> written = new CompletableFuture<>();
        KafkaProducer<byte[], byte[]> p = producer;
        if (p == null) {
            written.completeExceptionally(new IllegalStateException("The engine has not started"));
            return written;
        }
        try {
            p.send(record, (metadata, e) -> {
                if (e == null) {
                    written.complete(metadata);
                } else {
                    written.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            written.completeExceptionally(e);
        }
        return written;
    }

    private boolean extractive() {
        return config.summarizer() == PrecisConfig.SummarizerKind.EXTRACTIVE;
    }
}
