package dev.precis.devbroker;

import dev.precis.config.PrecisConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

/**
 * Starts the in-process Kafka broker before the messaging channels connect when
 * {@code precis.embedded-kafka.enabled} is set (the {@code embedded} profile). The broker lives as
 * long as the JVM, so that a dev-mode live reload keeps it and its topics.
 */
@ApplicationScoped
public class EmbeddedKafkaStarter {

    private static final Logger LOG = Logger.getLogger(EmbeddedKafkaStarter.class);
    // Live reload swaps application classes but not the JDK's, so the running broker is parked here.
    private static final String RUNNING = "precis.embedded-kafka.running";

    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, PrecisConfig config) {
        if (!config.embeddedKafka().enabled() || System.getProperties().get(RUNNING) != null) {
            return;
        }
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(config.embeddedKafka().port(),
                config.embeddedKafka().partitions());
        System.getProperties().put(RUNNING, broker);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-kafka-stop"));
        LOG.warnf("Embedded profile: started an in-process Kafka broker on %s. Its data is temporary; "
                + "production uses KAFKA_BOOTSTRAP_SERVERS.", broker.bootstrapServers());
    }
}
