package dev.precis.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Tracing is on when spans go somewhere. With no trace exporter, and OpenTelemetry's metrics and
 * logs off (the defaults), the Kafka connector's tracing is turned off, and with it the worker's
 * own document span ({@link #KAFKA_TRACING} is the one switch), so that spans nobody receives cost
 * nothing per document. Any source that sets the key wins: this value sits below every configured
 * source.
 */
public class TracingSwitch implements ConfigSourceFactory {

    public static final String KAFKA_TRACING = "mp.messaging.connector.smallrye-kafka.tracing-enabled";
    // Below application.properties (250) and everything above it, above nothing that is configured.
    private static final int ORDINAL = 50;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!nothingExported(context::getValue)) {
            return List.of();
        }
        return List.of(new PropertiesConfigSource(Map.of(KAFKA_TRACING, "false"),
                "précis: tracing off while nothing is exported", ORDINAL));
    }

    /** Whether no trace exporter is set and OpenTelemetry's metrics and logs are off, by any lookup of the settings. */
    static boolean nothingExported(Function<String, ConfigValue> config) {
        return is(config.apply("quarkus.otel.traces.exporter"), "none")
                && !is(config.apply("quarkus.otel.metrics.enabled"), "true")
                && !is(config.apply("quarkus.otel.logs.enabled"), "true");
    }

    private static boolean is(ConfigValue value, String expected) {
        return value != null && value.getValue() != null && value.getValue().strip().equalsIgnoreCase(expected);
    }
}
