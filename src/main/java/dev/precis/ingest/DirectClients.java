package dev.precis.ingest;

import dev.precis.config.Channels;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.Config;

/**
 * Kafka client settings for the direct lane, taken from where the channels take theirs, in the same
 * order: the {@code kafka.*} settings, the connector's, then the channel's own. Of the connector's
 * and the channel's keys only the client's own settings are passed, not SmallRye's attributes.
 */
final class DirectClients {

    private static final String CONNECTOR = "mp.messaging.connector.smallrye-kafka.";
    private static final int MAX_POLL_RECORDS = 500;

    private DirectClients() {
    }

    static Map<String, Object> consumer(Map<String, Object> kafka, Config config, String clientId) {
        Map<String, Object> props = merged(kafka, config, "mp.messaging.incoming." + Channels.DOCUMENTS + ".",
                ConsumerConfig.configNames());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        // The channel polls few records so that model calls do not wait long; here a poll is done at once.
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(MAX_POLL_RECORDS));
        props.remove("auto.commit.interval.ms");
        return props;
    }

    static Map<String, Object> producer(Map<String, Object> kafka, Config config, String clientId) {
        Map<String, Object> props = merged(kafka, config, "mp.messaging.outgoing." + Channels.RESULTS + ".",
                ProducerConfig.configNames());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        // Large batches: the lane sends results fast enough to fill them well within the linger,
        // and with nothing more to read its last ones wait at most the linger. Small ones (16 KB,
        // 5 ms by default) made a produce request of every few results, which cost the producer
        // and the broker more CPU than the summaries did.
        props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "100");
        return props;
    }

    private static Map<String, Object> merged(Map<String, Object> kafka, Config config, String channel,
            Set<String> known) {
        Map<String, Object> props = new HashMap<>(kafka);
        for (String prefix : new String[] {CONNECTOR, channel}) {
            // Environment variables name them too: MP_MESSAGING_INCOMING_DOCUMENTS_SECURITY_PROTOCOL.
            String env = prefix.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
            for (String name : config.getPropertyNames()) {
                String key = name.startsWith(prefix) ? name.substring(prefix.length())
                        : name.startsWith(env) ? name.substring(env.length()).toLowerCase(Locale.ROOT).replace('_', '.')
                        : null;
                if (key != null && known.contains(key)) {
                    config.getOptionalValue(name, String.class).ifPresent(v -> props.put(key, v));
                }
            }
        }
        return props;
    }
}
