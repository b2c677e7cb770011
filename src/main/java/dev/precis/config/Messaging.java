package dev.precis.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * The Reactive Messaging settings the worker itself acts on, read once from the channels'
 * standard {@code mp.messaging.*} keys; their defaults are those of application.properties.
 */
public record Messaging(String inputTopic, String groupId, String resultsTopic, Optional<Integer> maxRequestSize,
        RetryTopics retryTopics) {

    /**
     * SmallRye's delayed retry topics ({@code failure-strategy=delayed-retry-topic}): the topics,
     * how many passes in all, and how long a record may keep being retried.
     */
    public record RetryTopics(boolean enabled, List<String> topics, int passes, long timeoutMs) {
    }

    static final String IN = "mp.messaging.incoming." + Channels.DOCUMENTS + ".";
    static final String OUT = "mp.messaging.outgoing." + Channels.RESULTS + ".";

    /** Reads the settings; the keys application.properties ships are required. */
    public static Messaging read(Config config) {
        boolean retry = config.getOptionalValue(IN + "failure-strategy", String.class).orElse("")
                .equals("delayed-retry-topic");
        // SmallRye's defaults: three topics named after the channel, one pass per topic, 2 minutes.
        List<String> topics = config.getOptionalValues(IN + "delayed-retry-topic.topics", String.class)
                .orElse(List.of(Channels.DOCUMENTS + "_retry_10000", Channels.DOCUMENTS + "_retry_20000",
                        Channels.DOCUMENTS + "_retry_50000"));
        RetryTopics retryTopics = new RetryTopics(retry, topics,
                config.getOptionalValue(IN + "delayed-retry-topic.max-retries", Integer.class).orElse(topics.size()),
                config.getOptionalValue(IN + "delayed-retry-topic.timeout", Long.class).orElse(120_000L));
        return new Messaging(config.getValue(IN + "topic", String.class), config.getValue(IN + "group.id", String.class),
                config.getValue(OUT + "topic", String.class),
                config.getOptionalValue(OUT + "max.request.size", Integer.class), retryTopics);
    }

    /** Makes the settings injectable. */
    @ApplicationScoped
    static class Producer {
        @Produces
        @Singleton
        Messaging messaging(Config config) {
            return read(config);
        }
    }
}
