package dev.precis.ops;

import dev.precis.config.PrecisConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Starts the in-process Kafka broker before the messaging channels connect when no
 * {@code kafka.bootstrap.servers} is configured (or {@code precis.embedded-kafka.enabled=true}).
 * The broker lives as long as the JVM, so that a dev-mode live reload keeps it and its topics.
 */
@ApplicationScoped
public class EmbeddedKafkaStarter {

    private static final Logger LOG = Logger.getLogger(EmbeddedKafkaStarter.class);
    // Live reload swaps application classes but not the JDK's, so the running broker is parked here.
    private static final String RUNNING = "precis.embedded-kafka.running";

    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, PrecisConfig config) {
        boolean external = ConfigProvider.getConfig().getOptionalValue("kafka.bootstrap.servers", String.class)
                .isPresent();
        if (!config.embeddedKafka().enabled().orElse(!external) || System.getProperties().get(RUNNING) != null) {
            return;
        }
        try {
            Class.forName("kafka.server.KafkaRaftServer");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("No kafka.bootstrap.servers is configured and this build has no "
                    + "embedded broker (it was built with -Dlean): set KAFKA_BOOTSTRAP_SERVERS.");
        }
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(config.embeddedKafka().port(),
                config.embeddedKafka().partitions());
        System.getProperties().put(RUNNING, broker);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-kafka-stop"));
        LOG.warnf("No kafka.bootstrap.servers configured: started an embedded Kafka broker on %s. Its data "
                + "is temporary; set KAFKA_BOOTSTRAP_SERVERS to use a real cluster.", broker.bootstrapServers());
    }
}
