package dev.precis.llm;

/**
 * Tokens a server counts per token of the local count, for one family of writing: the largest
 * ratio seen (sizing must not undershoot) and the smallest (below it, a reported prompt count
 * means the server did not read the whole prompt).
 */
final class TokenRatio {

    private double max;
    private double min = Double.MAX_VALUE;
    private int seen;

    synchronized void observe(double ratio) {
        max = Math.max(max, ratio);
        min = Math.min(min, ratio);
        seen++;
    }

    synchronized boolean calibrated() {
        return seen > 0;
    }

    /** The largest ratio seen, or {@code prior} before the first. */
    synchronized double high(double prior) {
        return seen > 0 ? max : prior;
    }

    /** The smallest ratio seen, or {@code prior} before the first. */
    synchronized double low(double prior) {
        return seen > 0 ? min : prior;
    }
}
