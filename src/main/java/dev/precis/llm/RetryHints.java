package dev.precis.llm;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads how long a provider asks us to wait from its error text, such as "try again in 20s". */
final class RetryHints {

    private static final Pattern TRY_AGAIN = Pattern.compile(
            "try again in\\s+([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s|sec|seconds?|m|min|minutes?)\\b");

    private RetryHints() {
    }

    /** Milliseconds to wait, or -1 when the text gives no hint. */
    static long fromBody(String body) {
        Matcher m = TRY_AGAIN.matcher(body.toLowerCase(Locale.ROOT));
        if (!m.find()) {
            return -1;
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2);
        double millis = unit.equals("ms") ? amount : unit.startsWith("m") ? amount * 60_000 : amount * 1000;
        return (long) Math.ceil(millis);
    }
}
