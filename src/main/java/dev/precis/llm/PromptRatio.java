package dev.precis.llm;

/**
 * How the provider's prompt count compares with ours, learned from the usage it reports, so that a
 * budget is charged with the provider's figure even where its tokenizer is not ours.
 */
final class PromptRatio {

    private static final double WEIGHT = 0.2;
    private double ratio = 1.0;

    /** The provider's likely count for a prompt we count {@code local} tokens. */
    synchronized long estimate(long local) {
        return (long) Math.ceil(local * ratio);
    }

    /** One answer's usage: the provider counted {@code provider} where we counted {@code local}. */
    synchronized void learn(long local, long provider) {
        if (local > 0 && provider > 0) {
            double seen = Math.max(0.5, Math.min(4.0, (double) provider / local));
            // The larger figure is taken at once, a smaller one slowly: an undercount costs 429s.
            ratio = seen > ratio ? seen : ratio + WEIGHT * (seen - ratio);
        }
    }
}
