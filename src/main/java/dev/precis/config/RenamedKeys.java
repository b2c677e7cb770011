package dev.precis.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Stops the startup when a setting that has moved is still set, naming the key that replaces it,
 * so an old configuration never silently loses a limit.
 */
@ApplicationScoped
public class RenamedKeys {

    /** Old key → what to set instead. */
    static final Map<String, String> MOVED = Map.of(
            "precis.batch.enabled", "precis.drain.enabled (PRECIS_DRAIN_ENABLED): run until drained; the provider's "
                    + "Batch API is precis.batch-api",
            "precis.batch.progress-interval", "precis.drain.progress-interval (PRECIS_DRAIN_PROGRESS_INTERVAL)",
            "smallrye.messaging.worker.precis-documents.max-concurrency", "precis.in-flight (PRECIS_IN_FLIGHT), or "
                    + "with a model on the Batch API precis.batch-api.documents-in-flight",
            "precis.llm.max-concurrency", "precis.model.max-concurrency (PRECIS_MODEL_MAX_CONCURRENCY; per named "
                    + "model precis.models.\"NAME\".max-concurrency), or precis.in-flight for the worker as a whole",
            "precis.llm.tokens-per-minute", "precis.model.tokens-per-minute (PRECIS_MODEL_TOKENS_PER_MINUTE; per "
                    + "named model precis.models.\"NAME\".tokens-per-minute)",
            "precis.llm.requests-per-minute", "precis.model.requests-per-minute (PRECIS_MODEL_REQUESTS_PER_MINUTE; "
                    + "per named model precis.models.\"NAME\".requests-per-minute)");

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE - 2) StartupEvent event) {
        List<String> problems = problems(ConfigProvider.getConfig());
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
    }

    static List<String> problems(Config config) {
        List<String> out = new ArrayList<>();
        MOVED.forEach((old, now) -> {
            if (config.getOptionalValue(old, String.class).isPresent()) {
                out.add(old + " is no longer read: set " + now);
            }
        });
        out.sort(null);
        return out;
    }
}
