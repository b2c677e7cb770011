package dev.precis.publish.delivery;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Tells the exactly-once output about partition changes (on the consumer's polling thread): the
 * group metadata that fences its commits, and partitions leaving, whose ready results it commits
 * before they go.
 */
@Identifier("precis-partitions")
@ApplicationScoped
public class PartitionListener implements KafkaConsumerRebalanceListener {

    private final ExactlyOnce exactlyOnce;

    public PartitionListener(ExactlyOnce exactlyOnce) {
        this.exactlyOnce = exactlyOnce;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        exactlyOnce.output().ifPresent(o -> o.assigned(consumer.groupMetadata()));
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        exactlyOnce.output().ifPresent(o -> o.revoked(partitions, consumer.groupMetadata()));
    }
}
