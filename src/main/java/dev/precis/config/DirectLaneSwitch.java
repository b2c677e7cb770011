package dev.precis.config;

import io.smallrye.config.ConfigValue;
import java.util.Locale;
import java.util.function.Function;

/**
 * Gives the input to the direct lane when nothing needs the channel: the extractive summarizer (no
 * model call waits, so a whole poll is done at once), at-least-once delivery (exactly-once has its
 * transactions on the channel), no retry topic, and tracing off (the channel makes the spans). The
 * channel is then disabled ({@link DerivedSettings}), so that exactly one reader takes each record.
 */
public final class DirectLaneSwitch {

    public static final String CHANNEL_ENABLED = Messaging.IN + "enabled";

    private DirectLaneSwitch() {
    }

    /** Whether the lane takes the input, from the resolved settings. */
    static boolean wanted(Function<String, ConfigValue> config) {
        return !is(config.apply("precis.direct-lane"), "off")
                && isOr(config.apply("precis.summarizer"), "extractive")
                && isOr(config.apply("precis.delivery"), "at-least-once")
                && !is(config.apply(Messaging.IN + "failure-strategy"), "delayed-retry-topic")
                && TracingSwitch.nothingExported(config);
    }

    private static boolean isOr(ConfigValue value, String expected) {
        return value == null || value.getValue() == null || is(value, expected);
    }

    private static boolean is(ConfigValue value, String expected) {
        return value != null && value.getValue() != null
                && value.getValue().strip().replace('_', '-').toLowerCase(Locale.ROOT).equals(expected);
    }
}
