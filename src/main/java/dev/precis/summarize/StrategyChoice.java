package dev.precis.summarize;

import java.util.Locale;

/** The strategy a request or the configuration asks for; AUTO picks by size. */
public enum StrategyChoice {
    AUTO, STUFF, MAP_REDUCE, REFINE;

    /** Parses {@code auto}, {@code stuff}, {@code map-reduce} or {@code refine} (any case, - or _). */
    public static StrategyChoice parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("strategy must be one of auto, stuff, map-reduce, refine; was '"
                    + value + "'");
        }
    }
}
