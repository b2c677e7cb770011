package dev.precis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One intent, one setting: what follows from the delivery mode, and what an old key is told. */
class DerivedSettingsTest {

    // Values as précis ships them (its own application.properties, ordinal 250).
    private static SmallRyeConfig config(Map<String, String> values) {
        return config(values, Map.of());
    }

    private static SmallRyeConfig config(Map<String, String> shipped, Map<String, String> setByUser) {
        return new SmallRyeConfigBuilder().withInterceptors(new DerivedSettings()).withSources(new TracingSwitch())
                .withSources(new PropertiesConfigSource(shipped, "application.properties", 250))
                .withSources(new PropertiesConfigSource(setByUser, "environment", 300)).build();
    }

    @Test
    void aValueTheUserSetIsNeverReplaced() {
        assertEquals("throttled", config(Map.of("precis.delivery", "exactly-once"),
                Map.of(DerivedSettings.COMMIT_STRATEGY, "throttled")).getValue(DerivedSettings.COMMIT_STRATEGY,
                        String.class));
        assertEquals("16", config(Map.of(DerivedSettings.WORKERS, "8"), Map.of("precis.model.batch-api", "true",
                DerivedSettings.WORKERS, "16")).getValue(DerivedSettings.WORKERS, String.class));
        assertEquals("ignore", config(Map.of(DerivedSettings.COMMIT_STRATEGY, "throttled"),
                Map.of("precis.delivery", "exactly-once")).getValue(DerivedSettings.COMMIT_STRATEGY, String.class));
    }

    @Test
    void exactlyOnceDerivesTheCommitStrategyFromTheShippedOne() {
        assertEquals("ignore", config(Map.of("precis.delivery", "exactly-once", DerivedSettings.COMMIT_STRATEGY,
                "throttled")).getValue(DerivedSettings.COMMIT_STRATEGY, String.class));
        assertEquals("ignore", config(Map.of("precis.delivery", "EXACTLY_ONCE"))
                .getValue(DerivedSettings.COMMIT_STRATEGY, String.class));
    }

    @Test
    void atLeastOnceKeepsTheConfiguredCommitStrategy() {
        assertEquals("throttled", config(Map.of(DerivedSettings.COMMIT_STRATEGY, "throttled"))
                .getValue(DerivedSettings.COMMIT_STRATEGY, String.class));
        assertEquals("latest", config(Map.of("precis.delivery", "at-least-once", DerivedSettings.COMMIT_STRATEGY,
                "latest")).getValue(DerivedSettings.COMMIT_STRATEGY, String.class));
    }

    @Test
    void aModelOnTheBatchApiKeepsDocumentsWaitingWithoutTheChannelTurningUnhealthy() {
        Map<String, String> online = Map.of(DerivedSettings.MAX_AGE, "1800000", DerivedSettings.WORKERS, "8");
        assertEquals("1800000", config(online).getValue(DerivedSettings.MAX_AGE, String.class));
        assertEquals("8", config(online).getValue(DerivedSettings.WORKERS, String.class));
        Map<String, String> batch = new java.util.HashMap<>(online);
        batch.put("precis.model.batch-api", "true");
        assertEquals("0", config(batch).getValue(DerivedSettings.MAX_AGE, String.class));
        assertEquals("1000", config(batch).getValue(DerivedSettings.WORKERS, String.class));
        Map<String, String> named = new java.util.HashMap<>(online);
        named.put("precis.models.nightly.batch-api", "true");
        named.put("precis.batch-api.documents-in-flight", "250");
        assertEquals("0", config(named).getValue(DerivedSettings.MAX_AGE, String.class));
        assertEquals("250", config(named).getValue(DerivedSettings.WORKERS, String.class));
    }

    @Test
    void theDirectLaneTakesTheInputInEveryModeUnlessTurnedOff() {
        String enabled = DirectLaneSwitch.CHANNEL_ENABLED;
        for (Map<String, String> mode : List.of(Map.of("quarkus.otel.traces.exporter", "none"),
                Map.of("precis.summarizer", "llm"), Map.of("precis.delivery", "exactly-once"),
                Map.of("quarkus.otel.traces.exporter", "otlp"),
                Map.of(DerivedSettings.COMMIT_STRATEGY.replace("commit-strategy", "failure-strategy"),
                        "delayed-retry-topic"))) {
            assertEquals("false", config(mode).getValue(enabled, String.class), mode.toString());
        }
        assertTrue(config(Map.of("precis.direct-lane", "off")).getOptionalValue(enabled, String.class).isEmpty());
    }

    @Test
    void withNothingExportedTracingIsOffUnlessSomeoneTurnsItOn() {
        assertEquals("false", config(Map.of("quarkus.otel.traces.exporter", "none"))
                .getValue(TracingSwitch.KAFKA_TRACING, String.class));
        assertTrue(config(Map.of("quarkus.otel.traces.exporter", "cdi"))
                .getOptionalValue(TracingSwitch.KAFKA_TRACING, String.class).isEmpty());
        assertTrue(config(Map.of("quarkus.otel.traces.exporter", "none", "quarkus.otel.logs.enabled", "true"))
                .getOptionalValue(TracingSwitch.KAFKA_TRACING, String.class).isEmpty());
        assertEquals("true", config(Map.of("quarkus.otel.traces.exporter", "none", TracingSwitch.KAFKA_TRACING, "true"))
                .getValue(TracingSwitch.KAFKA_TRACING, String.class));
    }

    @Test
    void aMovedKeyStopsTheStartupNamingItsReplacement() {
        List<String> problems = RenamedKeys.problems(config(Map.of("precis.llm.tokens-per-minute", "60000",
                "precis.llm.max-concurrency", "4")));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("precis.llm.max-concurrency is no longer read: set "
                + "precis.model.max-concurrency"), problems.get(0));
        assertTrue(problems.get(1).contains("set precis.model.tokens-per-minute"), problems.get(1));
        assertTrue(RenamedKeys.problems(config(Map.of("precis.model.tokens-per-minute", "60000"))).isEmpty());
    }
}
