package dev.precis.stores;

import dev.precis.config.KafkaSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * The budget shares' topic, made when missing: one partition, so that every pod reads every
 * report in order, kept ten minutes, since only the last few rounds matter; and the clients that
 * read and write it.
 */
final class KafkaBudgetTopic {

    private static final Logger LOG = Logger.getLogger(KafkaBudgetTopic.class);
    static final Map<String, String> CONFIG = Map.of("cleanup.policy", "delete", "retention.ms", "600000",
            "segment.ms", "600000");

    private KafkaBudgetTopic() {
    }

    static void create(Map<String, Object> adminConfig, String topic) {
        try (Admin admin = Admin.create(adminConfig)) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()).configs(CONFIG)))
                    .all().get(30, TimeUnit.SECONDS);
            LOG.infof("Created the budget shares topic %s", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warnf("Could not create the budget shares topic %s: %s", topic, e.getCause().toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("Could not create the budget shares topic %s: %s", topic, e.toString());
        }
    }

    /** Reads the reports: no group, every pod reads the one partition itself. */
    static KafkaConsumer<String, byte[]> consumer(Map<String, Object> kafka, String member) {
        Map<String, Object> props = KafkaSettings.only(kafka, ConsumerConfig.configNames());
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "precis-budget-shares-" + member);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Writes this pod's reports, one round at a time. */
    static KafkaProducer<String, byte[]> producer(Map<String, Object> kafka, String member, Duration interval) {
        Map<String, Object> props = KafkaSettings.only(kafka, ProducerConfig.configNames());
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        // A report that cannot leave now is stale by the next round: never hold the round for it.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.max(2000, interval.toMillis() * 3)));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.max(1000, interval.toMillis() * 2)));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "precis-budget-shares-" + member);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }
}
