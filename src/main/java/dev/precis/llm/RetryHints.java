package dev.precis.llm;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads how long a provider asks us to wait, from headers or from its error text. */
public final class RetryHints {

    private static final Pattern TRY_AGAIN = Pattern.compile(
            "try again in\\s+([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s|sec|seconds?|m|min|minutes?)\\b");
    // Gemini puts a RetryInfo detail in the body: "retryDelay": "20s".
    private static final Pattern RETRY_DELAY = Pattern.compile("\"retrydelay\"\\s*:\\s*\"([0-9]+(?:\\.[0-9]+)?)s\"");
    // OpenAI's x-ratelimit-reset-* values: "1s", "6m0s", "20ms", "1h2m3.5s".
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|h|m|s)");

    private RetryHints() {
    }

    /** Milliseconds to wait from an error body, or -1 when the text gives no hint. */
    public static long fromBody(String body) {
        String lower = body.toLowerCase(Locale.ROOT);
        Matcher m = TRY_AGAIN.matcher(lower);
        if (m.find()) {
            double amount = Double.parseDouble(m.group(1));
            String unit = m.group(2);
            double millis = unit.equals("ms") ? amount : unit.startsWith("m") ? amount * 60_000 : amount * 1000;
            return (long) Math.ceil(millis);
        }
        Matcher d = RETRY_DELAY.matcher(lower);
        return d.find() ? (long) Math.ceil(Double.parseDouble(d.group(1)) * 1000) : -1;
    }

    /**
     * Milliseconds from {@code retry-after-ms} or else {@code Retry-After} (seconds, or an HTTP date);
     * -1 when neither says.
     */
    public static long fromHeaders(String retryAfterMs, String retryAfter) {
        if (retryAfterMs != null) {
            try {
                return (long) Math.ceil(Double.parseDouble(retryAfterMs.strip()));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        if (retryAfter == null || retryAfter.isBlank()) {
            return -1;
        }
        try {
            return (long) Math.ceil(Double.parseDouble(retryAfter.strip()) * 1000);
        } catch (NumberFormatException notSeconds) {
            try {
                java.time.ZonedDateTime at = java.time.ZonedDateTime.parse(retryAfter.strip(),
                        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, at.toInstant().toEpochMilli() - System.currentTimeMillis());
            } catch (java.time.format.DateTimeParseException notADate) {
                return -1;
            }
        }
    }

    /** Milliseconds in a duration such as "6m0s" or "20ms", or -1. */
    static long duration(String value) {
        if (value == null || value.isBlank()) {
            return -1;
        }
        Matcher m = PART.matcher(value.strip().toLowerCase(Locale.ROOT));
        double total = 0;
        boolean any = false;
        while (m.find()) {
            any = true;
            double n = Double.parseDouble(m.group(1));
            total += switch (m.group(2)) {
                case "h" -> n * 3_600_000;
                case "m" -> n * 60_000;
                case "s" -> n * 1000;
                default -> n;
            };
        }
        return any ? (long) Math.ceil(total) : -1;
    }
}
