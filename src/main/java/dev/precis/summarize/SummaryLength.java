package dev.precis.summarize;

import java.util.Locale;

/** Named summary lengths, each a token ceiling for the final summary. */
public enum SummaryLength {
    SHORT(80), MEDIUM(200), LONG(400);

    private final int maxTokens;

    SummaryLength(int maxTokens) {
        this.maxTokens = maxTokens;
    }

    public int maxTokens() {
        return maxTokens;
    }

    /** The length named by {@code value} (case-insensitive), or an exception listing the choices. */
    public static SummaryLength parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("length must be one of short, medium, long; was '" + value + "'");
        }
    }
}
