package dev.precis.eval;

import java.util.Arrays;

/** Aggregated scores, sizes, speed and spend of one summarizer over a dataset. */
public record SystemResult(String name, int documents, int failures, double rouge1, double rouge2, double rougeL,
        double rougeLsum, double meanSummaryTokens, double compression, double latencyP50Ms, double latencyP95Ms,
        double docsPerSecond, long llmCalls, long inputTokens, long outputTokens, double costUsd) {

    static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return 0;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
