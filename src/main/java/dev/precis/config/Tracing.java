package dev.precis.config;

import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Whether spans go anywhere: a trace exporter is configured, or OpenTelemetry's metrics or logs are
 * on. Without that the engine makes no span per document, so that spans nobody receives cost
 * nothing; the W3C trace context a record carries is still copied to its output.
 */
public final class Tracing {

    private Tracing() {
    }

    public static boolean exported(Config config) {
        return !is(config.getOptionalValue("quarkus.otel.traces.exporter", String.class), "none")
                || is(config.getOptionalValue("quarkus.otel.metrics.enabled", String.class), "true")
                || is(config.getOptionalValue("quarkus.otel.logs.enabled", String.class), "true");
    }

    private static boolean is(Optional<String> value, String expected) {
        return value.map(v -> v.strip().equalsIgnoreCase(expected)).orElse(false);
    }
}
