package dev.precis.llm;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the provider's prompt count compares with ours, so that a budget is charged with the
 * provider's figure even where its tokenizer (or its rate limiter's estimate) is not ours. Learned
 * from two sources: the usage each answer reports, and the charge a tokens-per-minute refusal
 * names ("Limit 60000, Used 59800, Requested 1240"), which is the rate limiter's own estimate.
 */
final class PromptRatio {

    private static final double WEIGHT = 0.2;
    private static final Pattern REQUESTED = Pattern.compile("\\bRequested\\s+(\\d+)\\b");
    private double fromUsage = 1.0;
    private double fromRefusals = 0;

    /** The provider's likely charge for a prompt we count {@code local} tokens. */
    synchronized long estimate(long local) {
        return (long) Math.ceil(local * Math.max(fromUsage, fromRefusals));
    }

    /** One answer's usage: the provider counted {@code provider} where we counted {@code local}. */
    synchronized void learn(long local, long provider) {
        if (local > 0 && provider > 0) {
            double seen = clamp((double) provider / local);
            // The larger figure is taken at once, a smaller one slowly: an undercount costs 429s.
            fromUsage = seen > fromUsage ? seen : fromUsage + WEIGHT * (seen - fromUsage);
        }
    }

    /**
     * A refusal for tokens per minute that names what the request was charged: the prompt's part
     * is that less the output cap. Kept as a floor, since the rate limiter estimates the same way
     * every time.
     */
    synchronized void refused(long local, int outputCap, String message) {
        Matcher m = message == null ? null : REQUESTED.matcher(message);
        if (local > 0 && m != null && m.find()) {
            long prompt = Long.parseLong(m.group(1)) - outputCap;
            if (prompt > 0) {
                fromRefusals = Math.max(fromRefusals, clamp((double) prompt / local));
            }
        }
    }

    private static double clamp(double ratio) {
        return Math.max(0.5, Math.min(4.0, ratio));
    }
}
