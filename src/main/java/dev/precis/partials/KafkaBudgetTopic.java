package dev.precis.partials;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * The budget shares' topic, made when missing: one partition, so that every pod reads every
 * report in order, kept ten minutes, since only the last few rounds matter.
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
}
