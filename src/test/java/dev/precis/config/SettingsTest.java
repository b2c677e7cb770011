package dev.precis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.quarkus.runtime.configuration.DurationConverter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings read as they are set: when spans are made, and what an old key is told. */
class SettingsTest {

    private static SmallRyeConfig config(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(values, "test", 300)).build();
    }

    @Test
    void spansAreMadeOnlyWhenTheyGoSomewhere() {
        assertFalse(Tracing.exported(config(Map.of("quarkus.otel.traces.exporter", "none"))));
        assertTrue(Tracing.exported(config(Map.of("quarkus.otel.traces.exporter", "cdi"))));
        assertTrue(Tracing.exported(config(Map.of())), "Quarkus exports traces unless told otherwise");
        assertTrue(Tracing.exported(config(Map.of("quarkus.otel.traces.exporter", "none",
                "quarkus.otel.logs.enabled", "true"))));
    }

    @Test
    void aMovedKeyStopsTheStartupNamingItsReplacement() {
        List<String> problems = RenamedKeys.problems(config(Map.of("precis.llm.tokens-per-minute", "60000",
                "precis.llm.max-concurrency", "4", "smallrye.messaging.worker.precis-documents.max-concurrency", "9")));
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("precis.llm.max-concurrency is no longer read: set "
                + "precis.models.default.max-concurrency"), problems.get(0));
        assertTrue(problems.get(1).contains("set precis.models.default.tokens-per-minute"), problems.get(1));
        assertTrue(problems.get(2).contains("set precis.in-flight"), problems.get(2));
        assertTrue(RenamedKeys.problems(config(Map.of("precis.models.default.tokens-per-minute", "60000"))).isEmpty());
    }

    @Test
    void theOldPlacesOfTheDefaultModelNameTheirKeysUnderPrecisModels() {
        List<String> problems = RenamedKeys.problems(config(Map.of("precis.model.context-window", "8192",
                "quarkus.langchain4j.openai.base-url", "http://localhost:11434/v1",
                "quarkus.langchain4j.openai.chat-model.model-name", "llama3.1:8b")));
        assertEquals(List.of(
                "precis.model.context-window is no longer read: set precis.models.default.context-window "
                        + "(PRECIS_MODELS_DEFAULT_CONTEXT_WINDOW)",
                "quarkus.langchain4j.openai.base-url is no longer read: set precis.models.default.base-url "
                        + "(OPENAI_BASE_URL or PRECIS_MODELS_DEFAULT_BASE_URL)",
                "quarkus.langchain4j.openai.chat-model.model-name is no longer read: set "
                        + "precis.models.default.model-name (PRECIS_MODELS_DEFAULT_MODEL_NAME)"), problems);
    }

    @Test
    void everyModelIsReadFromPrecisModelsTheEnvironmentIncluded() {
        // Durations as Quarkus reads them ("30s"), the converter Quarkus registers.
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(PrecisConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(Map.of("precis.models.default.model-name", "gpt-4o-mini",
                        "precis.models.\"fast.v2\".model-name", "llama3.1:8b"), "application", 250))
                .withSources(new EnvConfigSource(Map.of("PRECIS_MODELS_DEFAULT_CONTEXT_WINDOW", "8192",
                        "PRECIS_MODELS_DEFAULT_MODEL_NAME", "qwen3:8b", "PRECIS_DEFAULT_MODEL", "fast.v2"), 300))
                .build();
        PrecisConfig precis = config.getConfigMapping(PrecisConfig.class);
        assertEquals("fast.v2", precis.defaultModel());
        assertEquals("qwen3:8b", precis.models().get("default").modelName());
        assertEquals(8192, precis.models().get("default").contextWindow().orElseThrow());
        assertEquals(ModelConfig.Provider.OPENAI, precis.models().get("fast.v2").provider());
        assertEquals("llama3.1:8b", precis.models().get("fast.v2").modelName());
    }
}
