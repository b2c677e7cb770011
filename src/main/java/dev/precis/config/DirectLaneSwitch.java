package dev.precis.config;

import io.smallrye.config.ConfigValue;
import java.util.Locale;
import java.util.function.Function;

/**
 * Gives the input to the direct lane, which carries every mode, unless {@code precis.direct-lane=off}
 * keeps the older Reactive Messaging channel. The channel is then disabled ({@link DerivedSettings}),
 * so that exactly one reader takes each record.
 */
public final class DirectLaneSwitch {

    public static final String CHANNEL_ENABLED = Messaging.IN + "enabled";

    private DirectLaneSwitch() {
    }

    /** Whether the lane takes the input, from the resolved settings. */
    static boolean wanted(Function<String, ConfigValue> config) {
        return !is(config.apply("precis.direct-lane"), "off");
    }

    private static boolean is(ConfigValue value, String expected) {
        return value != null && value.getValue() != null
                && value.getValue().strip().replace('_', '-').toLowerCase(Locale.ROOT).equals(expected);
    }
}
