package dev.precis.config;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import java.util.Locale;

/**
 * Settings that follow from one intent. {@code precis.delivery=exactly-once} commits input offsets
 * in its own transactions, so the connector's {@code commit-strategy} is {@code ignore} whatever
 * else says otherwise: the two cannot disagree. (Tracing follows from its exporter: see
 * {@link TracingSwitch}.)
 */
public class DerivedSettings implements ConfigSourceInterceptor {

    static final String COMMIT_STRATEGY = Messaging.IN + "commit-strategy";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (!name.equals(COMMIT_STRATEGY) || !exactlyOnce(context.proceed("precis.delivery"))) {
            return value;
        }
        return value == null ? ConfigValue.builder().withName(name).withValue("ignore").build()
                : value.withValue("ignore");
    }

    private static boolean exactlyOnce(ConfigValue delivery) {
        return delivery != null && delivery.getValue() != null
                && delivery.getValue().strip().replace('_', '-').toLowerCase(Locale.ROOT).equals("exactly-once");
    }
}
