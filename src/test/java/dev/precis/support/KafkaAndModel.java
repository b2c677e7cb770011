package dev.precis.support;

import dev.precis.devbroker.EmbeddedKafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Test resource: a real Kafka broker — Testcontainers' Kafka container where a Docker engine
 * answers, else Kafka's own KRaft broker in-process on a free port — and the fake OpenAI-compatible
 * endpoint, wired into the worker's configuration. The broker is shared by all tests of one JVM; the
 * fake belongs to this resource (one per application start) and reaches each test, reset, through
 * a {@link FakeModel} field.
 */
public class KafkaAndModel implements QuarkusTestResourceLifecycleManager {

    /** Context window of the fake model: small, so that ordinary test documents need map-reduce. */
    public static final int CONTEXT_WINDOW = 2048;
    public static final int MAX_DOCUMENT_BYTES = 6_000_000;

    private static String bootstrapServers;
    private FakeOpenAi model;

    public static synchronized String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public Map<String, String> start() {
        synchronized (KafkaAndModel.class) {
            if (bootstrapServers == null) {
                bootstrapServers = startBroker();
            }
        }
        try {
            model = new FakeOpenAi(CONTEXT_WINDOW);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.ofEntries(
                Map.entry("kafka.bootstrap.servers", bootstrapServers),
                Map.entry("precis.models.default.base-url", model.baseUrl()),
                Map.entry("precis-test.gemini-url", model.geminiBaseUrl()),
                Map.entry("precis.models.default.api-key", "sk-test-secret-key"),
                Map.entry("precis.models.default.model-name", "fake-small"),
                Map.entry("precis.models.default.timeout", "20s"),
                Map.entry("precis.models.default.context-window", Integer.toString(CONTEXT_WINDOW)),
                Map.entry("precis.models.default.max-output-tokens", "512"),
                Map.entry("precis.max-document-bytes", Integer.toString(MAX_DOCUMENT_BYTES)),
                Map.entry("precis.llm.initial-backoff", "50ms"),
                Map.entry("precis.llm.retry-budget", "30s"),
                Map.entry("precis.models.default.input-price-per-million", "1.50"),
                Map.entry("precis.models.default.output-price-per-million", "6.00"),
                Map.entry("precis.lag-interval", "500ms"),
                Map.entry("precis.summarizer", "llm"),
                // Tests count model calls; partials reused across test classes would change the counts.
                // The store has its own test (PartialStoreIT).
                Map.entry("precis.partials.enabled", "false"));
    }

    private static String startBroker() {
        if (dockerAnswers()) {
            KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.2")
                    .withEnv("KAFKA_NUM_PARTITIONS", "3")
                    .withEnv("KAFKA_MESSAGE_MAX_BYTES", Integer.toString(32 * 1024 * 1024));
            kafka.start();
            return kafka.getBootstrapServers();
        }
        return EmbeddedKafkaBroker.start(0, 3).bootstrapServers();
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void inject(TestInjector injector) {
        // What one test scripted (failures, latency, budgets) never reaches the next.
        model.reset();
        injector.injectIntoFields(model, new TestInjector.AnnotatedAndMatchesType(FakeModel.class, FakeOpenAi.class));
    }

    @Override
    public void stop() {
        // The broker is kept for the other test classes of this JVM (its files are in a temp directory).
        if (model != null) {
            model.close();
        }
    }
}
