package dev.precis.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The direct lane's consumer, subscribed to the input: on the consumer group protocol unless the
 * settings say otherwise (see {@link DirectClients#preferConsumerProtocol}), and opened again on
 * the classic protocol when the broker refuses the other.
 */
final class LaneConsumer {

    /** Opens the consumer once its rebalance listener exists. */
    interface Factory {
        LaneConsumer create(ConsumerRebalanceListener listener);
    }

    private static final Logger LOG = Logger.getLogger(LaneConsumer.class);
    // Bounded: a consumer that cannot reach the group (a refused password) would otherwise try to
    // leave it for 30 s, the default, and hold the worker's stop that long.
    private static final Duration CLOSE = Duration.ofSeconds(5);

    private final Map<String, Object> settings;
    private final List<String> topics;
    private final ConsumerRebalanceListener listener;
    private boolean protocolChosenHere;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    LaneConsumer(Map<String, Object> settings, List<String> topics, ConsumerRebalanceListener listener) {
        this.settings = settings;
        this.topics = topics;
        this.listener = listener;
        this.protocolChosenHere = DirectClients.preferConsumerProtocol(settings);
        this.consumer = new KafkaConsumer<>(settings);
    }

    /** The consumer in use; another one after {@link #classicProtocol}. */
    KafkaConsumer<byte[], byte[]> get() {
        return consumer;
    }

    /** The group protocol in use, for the start-up line. */
    String protocol() {
        return String.valueOf(settings.getOrDefault(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic"));
    }

    void subscribe() {
        consumer.subscribe(topics, listener);
    }

    /**
     * A broker without the consumer group protocol (before Kafka 4, or with it turned off) refuses
     * the first poll: the consumer is then opened again on the classic protocol, unless the
     * protocol was the settings' choice or something was read already ({@code e} is rethrown).
     */
    void classicProtocol(UnsupportedVersionException e, boolean readBefore) {
        if (!protocolChosenHere || readBefore) {
            throw e;
        }
        LOG.infof("Direct lane: the broker does not offer the consumer group protocol (%s); "
                + "reading with the classic protocol", e.getMessage());
        protocolChosenHere = false;
        close();
        settings.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, GroupProtocol.CLASSIC.name().toLowerCase(Locale.ROOT));
        consumer = new KafkaConsumer<>(settings);
        subscribe();
    }

    /** Ends a poll under way, from another thread; nothing if the consumer is closed. */
    void wakeup() {
        try {
            consumer.wakeup();
        } catch (RuntimeException e) {
            // Closed already: the lane stopped by itself.
        }
    }

    void close() {
        consumer.close(CloseOptions.timeout(CLOSE));
    }

    /** Commits without waiting; a failed commit is covered by the next one (or a rebalance's). */
    void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        consumer.commitAsync(offsets, (committed, e) -> {
            if (e != null) {
                LOG.debugf("Direct lane: a commit did not go through (%s)", e.toString());
            }
        });
    }

    /** Commits and waits; a failure is logged (the records after the last commit are then read again). */
    void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            try {
                consumer.commitSync(offsets);
            } catch (WakeupException e) {
                // The stop's wake-up was still pending; the commit itself is wanted.
                consumer.commitSync(offsets);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Direct lane: a commit failed (%s); the records after the last commit are read again",
                    e.toString());
        }
    }
}
