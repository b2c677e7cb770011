package dev.precis.ops.lag;

import dev.precis.config.Messaging;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/** The input topic and consumer group as the worker is configured, and admin access to their offsets. */
@ApplicationScoped
public class InputTopic {

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    Messaging messaging;

    /** A new admin view of the group's offsets; the caller closes it. */
    public GroupOffsets offsets(String clientId) {
        return new GroupOffsets(kafkaConfig, clientId, messaging.groupId(), messaging.inputTopic());
    }

    public String topic() {
        return messaging.inputTopic();
    }
}
