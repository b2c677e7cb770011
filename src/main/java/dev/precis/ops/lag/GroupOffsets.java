package dev.precis.ops.lag;

import dev.precis.config.KafkaSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Reads a consumer group's committed offsets and a topic's end offsets with an admin client. */
public final class GroupOffsets implements AutoCloseable {

    private final Admin admin;
    private final String groupId;
    private final String topic;

    /** @param kafkaConfig the {@code kafka.*} settings as the connector sees them (bootstrap, security) */
    GroupOffsets(Map<String, Object> kafkaConfig, String clientId, String groupId, String topic) {
        Map<String, Object> props = KafkaSettings.only(kafkaConfig, AdminClientConfig.configNames());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        this.admin = Admin.create(props);
        this.groupId = groupId;
        this.topic = topic;
    }

    /** Committed offset per partition of the topic (0 where the group has committed nothing). */
    public Map<TopicPartition, Long> committed() throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> done = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : partitions()) {
            OffsetAndMetadata o = done.get(tp);
            out.put(tp, o == null ? 0 : o.offset());
        }
        return out;
    }

    /** End offset (next offset to be written) per partition of the topic. */
    public Map<TopicPartition, Long> ends() throws InterruptedException, ExecutionException, TimeoutException {
        return offsets(OffsetSpec.latest());
    }

    /** First offset still in the log per partition of the topic. */
    public Map<TopicPartition, Long> starts() throws InterruptedException, ExecutionException, TimeoutException {
        return offsets(OffsetSpec.earliest());
    }

    private Map<TopicPartition, Long> offsets(OffsetSpec which)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> spec = new HashMap<>();
        partitions().forEach(tp -> spec.put(tp, which));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(spec).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private List<TopicPartition> partitions() throws InterruptedException, ExecutionException, TimeoutException {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic)
                .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
