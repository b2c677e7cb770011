package dev.precis.publish.delivery;

import dev.precis.config.Messaging;
import dev.precis.config.PrecisConfig;
import dev.precis.config.KafkaSettings;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.jboss.logging.Logger;

/** The exactly-once mode's transactional output, when {@code precis.delivery=exactly-once}. */
// Created at startup: a transactional producer that cannot start stops the worker before it reads anything.
@Startup
@ApplicationScoped
public class ExactlyOnce {

    private static final Logger LOG = Logger.getLogger(ExactlyOnce.class);

    private final TransactionalOutput output;

    public ExactlyOnce(PrecisConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            Messaging messaging) {
        if (config.delivery() != PrecisConfig.Delivery.EXACTLY_ONCE) {
            output = null;
            return;
        }
        Map<String, Object> producer = KafkaSettings.only(kafkaConfig, ProducerConfig.configNames());
        messaging.maxRequestSize().ifPresent(size -> producer.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, size));
        // Transactions carry only finished outputs, so they are short; a crashed worker's open
        // transaction then holds back read_committed readers for at most this long.
        producer.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
        String id = config.exactlyOnce().transactionalId().orElseGet(ExactlyOnce::defaultId);
        output = new TransactionalOutput(producer, id, config.exactlyOnce().commitInterval(), e -> {
            LOG.errorf("Exactly-once: a transaction failed (%s); stopping so that the work resumes from the last "
                    + "commit", e.toString());
            Quarkus.asyncExit(1);
        });
        LOG.infof("Exactly-once delivery: transactional id %s, commit every %s", id, config.exactlyOnce().commitInterval());
    }

    private static String defaultId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "precis";
        }
        return "precis-" + host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public Optional<TransactionalOutput> output() {
        return Optional.ofNullable(output);
    }

    @PreDestroy
    void close() {
        if (output != null) {
            output.close();
        }
    }
}
