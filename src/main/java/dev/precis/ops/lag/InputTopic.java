package dev.precis.ops.lag;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The input topic and consumer group as the worker is configured, and admin access to their offsets. */
@ApplicationScoped
public class InputTopic {

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @ConfigProperty(name = "mp.messaging.incoming.documents.group.id", defaultValue = "precis")
    String groupId;

    @ConfigProperty(name = "mp.messaging.incoming.documents.topic", defaultValue = "documents")
    String topic;

    /** A new admin view of the group's offsets; the caller closes it. */
    public GroupOffsets offsets(String clientId) {
        return new GroupOffsets(kafkaConfig, clientId, groupId, topic);
    }

    public String topic() {
        return topic;
    }
}
