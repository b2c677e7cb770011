package dev.precis.llm;

import java.util.EnumMap;
import java.util.Map;

/**
 * How a server's tokenizer counts against the local one, per family of writing: the ratios its
 * prompt counts have shown, the ratio to size a text with, and whether a reported prompt count is
 * too low for the server to have read the whole prompt.
 */
final class TokenRatios {

    // Ratios seen are from whole prompts; a little headroom covers the chat template and rounding.
    static final double SAFETY = 1.04;
    // Open tokenizers measured against o200k_base range from about 0.7 to 2.4; below this share
    // of the local count no tokenizer explains a reported prompt count.
    private static final double LOWEST_PLAUSIBLE = 0.55;
    private static final int MIN_TEXT_TOKENS = 48;

    private final boolean exact;
    private final Map<Script, TokenRatio> ratios = new EnumMap<>(Script.class);

    /** {@code exact}: the local count is the provider's own, the ratio is 1 and nothing is learned. */
    TokenRatios(boolean exact) {
        this.exact = exact;
        for (Script s : Script.values()) {
            ratios.put(s, new TokenRatio());
        }
    }

    /** Server tokens per local token to size {@code text} with: the largest seen for its families, plus headroom. */
    double sizing(String text) {
        if (exact) {
            return 1.0;
        }
        int[] letters = Script.letters(text);
        int all = letters[letters.length - 1];
        double ratio = high(Script.LATIN);
        boolean dominated = false;
        for (Script family : Script.values()) {
            int n = letters[family.ordinal()];
            if (n > 0 && n >= 0.1 * all) {
                ratio = Math.max(ratio, high(family));
            }
            dominated |= n > 0 && n >= 0.6 * all;
        }
        if (!dominated && all > 0) {
            ratio = Math.max(ratio, high(Script.MIXED));
        }
        return ratio * SAFETY;
    }

    /** True once a count of the server's has been seen for the family {@code text} belongs to. */
    boolean calibrated(String text) {
        return exact || ratios.get(Script.of(text)).calibrated();
    }

    /**
     * True when a reported prompt count says the server did not read the whole prompt: far below
     * any plausible tokenizer's count, or, where the window is unsaid ({@code windowKnown} false),
     * a power of two (a server keeping exactly its window) below what this family has ever counted.
     */
    boolean truncated(int localTokens, String text, int reported, boolean windowKnown) {
        if (localTokens < 2 * MIN_TEXT_TOKENS) {
            return false;
        }
        TokenRatio seen = ratios.get(Script.of(text));
        boolean known = seen.calibrated() && !exact;
        // Once this family's counts are known, a prompt read whole is never far below the lowest seen.
        double low = known ? Math.max(0.45, Math.min(0.9, seen.low(1.0) * 0.85)) : LOWEST_PLAUSIBLE;
        // English is never far under o200k_base's count.
        double floor = known ? seen.low(1.0) * 0.95 : Script.of(text) == Script.LATIN ? 0.85 : 0.6;
        boolean cutAtWindow = !windowKnown && Integer.bitCount(reported) == 1 && reported >= 1024
                && reported < localTokens * floor;
        return reported < localTokens * low || cutAtWindow;
    }

    /** Learns from the server's count of a whole prompt whose material is {@code text}. */
    void learn(int localTokens, int textTokens, String text, int serverTokens) {
        if (exact || textTokens < MIN_TEXT_TOKENS) {
            return;
        }
        Script family = Script.of(text);
        // The prompt's scaffolding is English: counted at the Latin ratio, the rest is the text's.
        double ratio = family == Script.LATIN ? (double) serverTokens / localTokens
                : (serverTokens - (localTokens - textTokens) * ratios.get(Script.LATIN).high(1.0)) / textTokens;
        ratios.get(family).observe(Math.max(0.3, Math.min(5.0, ratio)));
    }

    /**
     * The largest ratio seen for a family; before any, a cautious guess (open tokenizers spend up
     * to 1.4 times o200k_base's tokens on English and code, up to 2.4 times on Hangul), so that the
     * first calls fit while the server's count is still unknown.
     */
    private double high(Script family) {
        double prior = switch (family) {
            case LATIN -> 1.15;
            case HANGUL -> 2.0;
            default -> 1.6;
        };
        return ratios.get(family).high(prior);
    }
}
