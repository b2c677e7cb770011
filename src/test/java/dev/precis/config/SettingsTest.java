package dev.precis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
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
                + "precis.model.max-concurrency"), problems.get(0));
        assertTrue(problems.get(1).contains("set precis.model.tokens-per-minute"), problems.get(1));
        assertTrue(problems.get(2).contains("set precis.in-flight"), problems.get(2));
        assertTrue(RenamedKeys.problems(config(Map.of("precis.model.tokens-per-minute", "60000"))).isEmpty());
    }
}
