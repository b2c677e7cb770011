package dev.precis.ingest;

import dev.precis.config.Channels;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
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
    static final int MAX_POLL_RECORDS = 500;
    private static final int LARGE_BATCH = 262_144;
    private static final int DEFAULT_BATCH = 16_384;
    // A record batch's header and a record's own framing, besides keys, values and headers.
    private static final int BATCH_OVERHEAD = 512;
    // Settings only the classic group protocol takes: one of them set means that protocol is meant.
    private static final List<String> CLASSIC_ONLY = List.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);

    private DirectClients() {
    }

    /** {@code quick}: each record takes a fraction of a millisecond (no model call), so a poll may bring many. */
    static Map<String, Object> consumer(Map<String, Object> kafka, Config config, String clientId, boolean quick) {
        Map<String, Object> props = merged(kafka, config, "mp.messaging.incoming." + Channels.DOCUMENTS + ".",
                ConsumerConfig.configNames());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        if (quick) {
            // Without a model a poll is done at once; with one, the input's own (few) records per poll.
            props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(MAX_POLL_RECORDS));
        }
        props.remove("auto.commit.interval.ms");
        return props;
    }

    /**
     * Sets the consumer group protocol (KIP-848) unless the settings name a protocol or a setting of
     * the classic one. It hands a joining member its partitions at once, where the classic protocol
     * has the first member of an empty group wait the broker's {@code group.initial.rebalance.delay.ms}
     * (3 s by default): the wait a scale-from-zero would add to every first result. True when it was
     * chosen here, so that a broker without it may have the lane fall back to the classic protocol.
     */
    static boolean preferConsumerProtocol(Map<String, Object> consumer) {
        if (consumer.containsKey(ConsumerConfig.GROUP_PROTOCOL_CONFIG)
                || CLASSIC_ONLY.stream().anyMatch(consumer::containsKey)) {
            return false;
        }
        consumer.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, GroupProtocol.CONSUMER.name().toLowerCase(Locale.ROOT));
        return true;
    }

    /**
     * {@code largeBatches}: results come fast (no model call), so batches of up to 256 KB, but never
     * larger than the output topics take ({@link #smallestRecordLimit}): a producer splits a batch
     * the broker refuses into batches of its own {@code batch.size}, so a batch size above the
     * topic's limit would resend the same batch for ever.
     */
    static Map<String, Object> producer(Map<String, Object> kafka, Config config, String clientId,
            boolean largeBatches, List<String> outputTopics) {
        Map<String, Object> props = merged(kafka, config, "mp.messaging.outgoing." + Channels.RESULTS + ".",
                ProducerConfig.configNames());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        if (!props.containsKey(ProducerConfig.BATCH_SIZE_CONFIG)) {
            // Without a model, small batches (16 KB, 5 ms by default) made a produce request of every
            // few results, which cost the producer and the broker more CPU than the summaries did.
            int limit = smallestRecordLimit(kafka, config, outputTopics);
            props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(Math.min(largeBatches ? LARGE_BATCH
                    : DEFAULT_BATCH, limit)));
            // With a model, a result comes every few milliseconds at most: a batch per result cost
            // the producer's I/O thread more CPU than anything else but the model call; 50 ms is
            // nothing beside a model's answer.
            props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, largeBatches ? "100" : "50");
        }
        return props;
    }

    /**
     * The smallest {@code max.message.bytes} of the output topics that exist (the broker's default
     * for those that do not yet), less room for the batch's own header; 16 KB, the producer's
     * default batch size, when it cannot be read.
     */
    static int smallestRecordLimit(Map<String, Object> kafka, Config config, List<String> topics) {
        Map<String, Object> props = merged(kafka, config, "mp.messaging.outgoing." + Channels.RESULTS + ".",
                AdminClientConfig.configNames());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "precis-direct-topics");
        try (Admin admin = Admin.create(props)) {
            List<ConfigResource> resources = topics.stream()
                    .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
            int smallest = Integer.MAX_VALUE;
            for (var f : admin.describeConfigs(resources).values().values()) {
                try {
                    var entry = f.get(5, TimeUnit.SECONDS).get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                    if (entry != null && entry.value() != null) {
                        smallest = Math.min(smallest, Integer.parseInt(entry.value()));
                    }
                } catch (ExecutionException e) {
                    // A topic that does not exist yet is created with the broker's default.
                }
            }
            return smallest == Integer.MAX_VALUE ? LARGE_BATCH : Math.max(1024, smallest - BATCH_OVERHEAD);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DEFAULT_BATCH;
        } catch (RuntimeException | TimeoutException e) {
            return DEFAULT_BATCH;
        }
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
