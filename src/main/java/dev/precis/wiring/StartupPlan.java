package dev.precis.wiring;

import dev.precis.config.Messaging;
import dev.precis.config.PrecisConfig;
import dev.precis.config.Tracing;
import dev.precis.ingest.DirectLane;
import dev.precis.ops.health.WorkerPlan;
import dev.precis.pipeline.Pipelines;
import dev.precis.publish.delivery.ExactlyOnce;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.interceptor.Interceptor;
import java.util.Locale;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Works out the plan once, before anything is read: the models are built here (so a setting that
 * contradicts another stops the startup, naming both, instead of failing every document later),
 * and the engine, delivery and in-flight choices are written beside them, logged in one block.
 */
@ApplicationScoped
public class StartupPlan {

    private static final Logger LOG = Logger.getLogger(StartupPlan.class);

    // After the embedded broker (the models' shared state lives in Kafka), before the input is read.
    void plan(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 5) StartupEvent event, PrecisConfig config,
            Messaging messaging, DirectLane lane, Instance<Pipelines> pipelines, ExactlyOnce exactlyOnce,
            WorkerPlan plan, Config settings) {
        plan.put("input", messaging.inputTopic() + " as group " + messaging.groupId() + ", results to "
                + messaging.resultsTopic() + ", dead letters to " + config.deadLetterTopic());
        plan.put("engine", "direct lane: plain Kafka clients, " + lane.capacity() + " documents at once");
        plan.put("delivery", lower(config.delivery().name()) + exactlyOnce.output().map(o -> ", transactions every "
                + config.exactlyOnce().commitInterval()).orElse(", offsets committed after the outputs are written"));
        plan.put("retry topics", messaging.retryTopics().enabled()
                ? String.join(", ", messaging.retryTopics().topics()) + ", then " + config.deadLetterTopic() : "off");
        plan.put("in flight", config.inFlight() + " (precis.in-flight)");
        plan.put("tracing", Tracing.exported(settings) ? "a span per document" : "off (no trace exporter configured)");
        // Builds every model's pipeline now: its window, output limit and budgets join the plan.
        pipelines.get().names();
        LOG.info(plan.block());
    }

    private static String lower(String constant) {
        return constant.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
