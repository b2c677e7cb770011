package dev.precis.config;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import java.util.Locale;

/**
 * Settings that follow from one intent.
 * <ul>
 * <li>{@code precis.delivery=exactly-once} commits input offsets in its own transactions, so the
 * connector's {@code commit-strategy} is {@code ignore} whatever else says otherwise: the two cannot
 * disagree.
 * <li>Tracing is on when spans go somewhere: with no trace exporter (and OpenTelemetry's metrics and
 * logs off, as by default) the OpenTelemetry SDK is disabled unless {@code quarkus.otel.sdk.disabled}
 * is set, so that spans nobody receives cost nothing per document.
 * </ul>
 */
public class DerivedSettings implements ConfigSourceInterceptor {

    static final String COMMIT_STRATEGY = Messaging.IN + "commit-strategy";
    static final String OTEL_SDK_DISABLED = "quarkus.otel.sdk.disabled";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (name.equals(COMMIT_STRATEGY) && exactlyOnce(context.proceed("precis.delivery"))) {
            return value == null ? derived(name, "ignore") : value.withValue("ignore");
        }
        if (name.equals(OTEL_SDK_DISABLED) && value == null && nothingExported(context)) {
            return derived(name, "true");
        }
        return value;
    }

    private static ConfigValue derived(String name, String value) {
        return ConfigValue.builder().withName(name).withValue(value).build();
    }

    private static boolean nothingExported(ConfigSourceInterceptorContext context) {
        return is(context.proceed("quarkus.otel.traces.exporter"), "none")
                && !is(context.proceed("quarkus.otel.metrics.enabled"), "true")
                && !is(context.proceed("quarkus.otel.logs.enabled"), "true");
    }

    private static boolean is(ConfigValue value, String expected) {
        return value != null && value.getValue() != null && value.getValue().strip().equalsIgnoreCase(expected);
    }

    private static boolean exactlyOnce(ConfigValue delivery) {
        return delivery != null && delivery.getValue() != null
                && delivery.getValue().strip().replace('_', '-').toLowerCase(Locale.ROOT).equals("exactly-once");
    }
}
