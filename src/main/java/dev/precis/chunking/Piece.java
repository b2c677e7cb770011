package dev.precis.chunking;

/**
 * A run of text; {@code level} is the boundary level that would split it further; {@code weight}
 * is its length with each wide (CJK, Hangul, kana) character counted as several, because such a
 * character takes several times the tokens of a Latin one.
 */
record Piece(String text, int level, double weight) {

    Piece(String text, int level) {
        this(text, level, weigh(text));
    }

    boolean splittable() {
        return level < Boundaries.Level.values().length;
    }

    private static final double WIDE_CHAR_WEIGHT = 4.0;

    /** Length with each wide character counted as {@code WIDE_CHAR_WEIGHT}. */
    static double weigh(String text) {
        int wide = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= '\u2E80') {
                wide++;
            }
        }
        return text.length() + (WIDE_CHAR_WEIGHT - 1) * wide;
    }
}
