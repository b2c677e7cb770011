package dev.precis.support;

import dev.precis.devbroker.EmbeddedKafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Test resource: a real broker that offers only the classic group protocol, as brokers before
 * Kafka 4 do (the consumer group protocol turned off), for the worker's extractive default.
 */
public class ClassicOnlyKafka implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedKafkaBroker broker;

    public static synchronized String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    public synchronized Map<String, String> start() {
        if (broker == null) {
            broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Options(0, 3,
                    EmbeddedKafkaBroker.Listeners.PLAINTEXT, null,
                    Map.of("group.coordinator.rebalance.protocols", "classic")));
        }
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers(), "precis.summarizer", "extractive");
    }

    @Override
    public void stop() {
        // Shared by the tests of this JVM, like the other brokers; gone with it.
    }
}
