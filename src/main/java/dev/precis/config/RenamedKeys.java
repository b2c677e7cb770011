package dev.precis.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Stops the startup when a setting that has moved is still set, naming the key that replaces it,
 * so an old configuration never silently loses a limit.
 */
@ApplicationScoped
public class RenamedKeys {

    private static final String DEFAULT = "precis.models.default.";

    /** Old key → what to set instead. */
    static final Map<String, String> MOVED = moved();

    private static Map<String, String> moved() {
        Map<String, String> moved = new TreeMap<>();
        moved.put("precis.batch.enabled", "precis.drain.enabled (PRECIS_DRAIN_ENABLED): run until drained; the "
                + "provider's Batch API is precis.batch-api");
        moved.put("precis.batch.progress-interval", "precis.drain.progress-interval (PRECIS_DRAIN_PROGRESS_INTERVAL)");
        moved.put("smallrye.messaging.worker.precis-documents.max-concurrency", "precis.in-flight (PRECIS_IN_FLIGHT), "
                + "or with a model on the Batch API precis.batch-api.documents-in-flight");
        for (String limit : List.of("max-concurrency", "tokens-per-minute", "requests-per-minute")) {
            moved.put("precis.llm." + limit, DEFAULT + limit + " (" + env(limit) + "; per model "
                    + "precis.models.NAME." + limit + ")" + (limit.equals("max-concurrency")
                            ? ", or precis.in-flight for the worker as a whole" : ""));
        }
        // Every model lives under precis.models.NAME; the default one is precis.models.default.
        moved.put("precis.model.name", DEFAULT + "model-name (" + env("model-name") + ")");
        for (String field : List.of("context-window", "max-output-tokens", "encoding", "margin-tokens",
                "input-price-per-million", "output-price-per-million", "cached-input-price-per-million",
                "max-concurrency", "tokens-per-minute", "requests-per-minute", "batch-api", "batch-price-ratio",
                "batch-enqueued-tokens")) {
            moved.put("precis.model." + field, DEFAULT + field + " (" + env(field) + ")");
        }
        String openAi = "quarkus.langchain4j.openai.";
        moved.put(openAi + "api-key", DEFAULT + "api-key (OPENAI_API_KEY still works)");
        moved.put(openAi + "base-url", DEFAULT + "base-url (OPENAI_BASE_URL or " + env("base-url") + ")");
        moved.put(openAi + "timeout", DEFAULT + "timeout (" + env("timeout") + ")");
        moved.put(openAi + "chat-model.model-name", DEFAULT + "model-name (" + env("model-name") + ")");
        moved.put(openAi + "chat-model.temperature", DEFAULT + "temperature (" + env("temperature") + ")");
        moved.put(openAi + "chat-model.max-tokens", "options.maxSummaryTokens per document, or "
                + "precis.summary.default-max-tokens");
        moved.put("quarkus.langchain4j.chat-model.provider", DEFAULT + "provider (openai or gemini)");
        return Map.copyOf(moved);
    }

    private static String env(String field) {
        return "PRECIS_MODELS_DEFAULT_" + field.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

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
