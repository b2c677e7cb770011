package dev.precis.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Stops the startup with a message that says what to set when the worker has no Kafka cluster to
 * reach: neither {@code kafka.bootstrap.servers} nor an embedded broker this build can start.
 */
@ApplicationScoped
public class KafkaRequired {

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE - 1) StartupEvent event, PrecisConfig config) {
        if (!config.embeddedKafka().enabled()) {
            if (ConfigProvider.getConfig().getOptionalValue("kafka.bootstrap.servers", String.class).isEmpty()) {
                throw new IllegalStateException("No Kafka cluster configured: set kafka.bootstrap.servers "
                        + "(KAFKA_BOOTSTRAP_SERVERS), or run with -Dquarkus.profile=embedded for an in-process broker.");
            }
            return;
        }
        try {
            // The lean build leaves the broker's jars and the dev.precis.devbroker package out.
            Class.forName("kafka.server.KafkaRaftServer");
            Class.forName("dev.precis.devbroker.EmbeddedKafkaStarter");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("precis.embedded-kafka.enabled is set but this build has no "
                    + "embedded broker (it was built with -Dlean): set KAFKA_BOOTSTRAP_SERVERS instead.");
        }
    }
}
