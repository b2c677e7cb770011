package dev.precis.config;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import java.util.Iterator;
import java.util.Locale;

/**
 * Settings that follow from one intent, where the user left précis' own value in place (a value
 * the user set is never replaced; a contradiction stops the startup naming both settings, and the
 * startup plan lists what was derived). {@code precis.delivery=exactly-once} commits input offsets
 * in its own transactions, so the connector's {@code commit-strategy} is {@code ignore}. A model with {@code batch-api=true} keeps each
 * document waiting for hours: the worker pool takes {@code precis.batch-api.documents-in-flight}
 * of them, and the throttled commit's age check (which would call the channel unhealthy after 30
 * minutes) is off; offsets still never pass a document whose result is not written. With nothing
 * that needs the channel the input channel is off and the direct lane reads (see
 * {@link DirectLaneSwitch}). (Tracing follows from its exporter: see {@link TracingSwitch}.)
 */
public class DerivedSettings implements ConfigSourceInterceptor {

    static final String COMMIT_STRATEGY = Messaging.IN + "commit-strategy";
    static final String MAX_AGE = Messaging.IN + "throttled.unprocessed-record-max-age.ms";
    static final String WORKERS = "smallrye.messaging.worker.precis-documents.max-concurrency";
    // The application.properties inside the application; config/application.properties is 260.
    private static final int SHIPPED_ORDINAL = 250;

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (name.equals(DirectLaneSwitch.CHANNEL_ENABLED) && DirectLaneSwitch.wanted(context::proceed)) {
            return with(value, name, "false");
        }
        if (!shipped(value)) {
            // Set by the user: never replaced. A contradiction stops the startup (see ExactlyOnce).
            return value;
        }
        if (name.equals(COMMIT_STRATEGY) && exactlyOnce(context.proceed("precis.delivery"))) {
            return with(value, name, "ignore");
        }
        if ((name.equals(MAX_AGE) || name.equals(WORKERS)) && batchMode(context)) {
            if (name.equals(MAX_AGE)) {
                return with(value, name, "0");
            }
            ConfigValue inFlight = context.proceed("precis.batch-api.documents-in-flight");
            return with(value, name, inFlight == null || inFlight.getValue() == null ? "1000" : inFlight.getValue());
        }
        return value;
    }

    /**
     * Whether the value is the one précis ships (its own application.properties, or none): only
     * such a value is derived from an intent. Anything a user sets (environment, system
     * properties, a config/application.properties beside the jar) ranks above it.
     */
    static boolean shipped(ConfigValue value) {
        return value == null || value.getValue() == null || value.getConfigSourceOrdinal() <= SHIPPED_ORDINAL;
    }

    private static ConfigValue with(ConfigValue value, String name, String v) {
        return value == null ? ConfigValue.builder().withName(name).withValue(v).build() : value.withValue(v);
    }

    private static boolean exactlyOnce(ConfigValue delivery) {
        return delivery != null && delivery.getValue() != null
                && delivery.getValue().strip().replace('_', '-').toLowerCase(Locale.ROOT).equals("exactly-once");
    }

    /** Whether the default model or any named one goes through the Batch API. */
    private static boolean batchMode(ConfigSourceInterceptorContext context) {
        if (isTrue(context.proceed("precis.model.batch-api"))) {
            return true;
        }
        for (Iterator<String> names = context.iterateNames(); names.hasNext(); ) {
            String n = names.next();
            boolean named = n.startsWith("precis.models.") && n.endsWith(".batch-api")
                    || n.startsWith("PRECIS_MODELS_") && n.endsWith("_BATCH_API");
            if (named && isTrue(context.proceed(n))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTrue(ConfigValue v) {
        return v != null && v.getValue() != null && v.getValue().strip().equalsIgnoreCase("true");
    }
}
