package dev.precis.chunking;

import java.util.List;

/** Counts, encodes and decodes tokens for one model's tokenizer. */
public interface TokenCounter {

    /** Number of tokens {@code text} encodes to; 0 for an empty string. */
    int count(String text);

    /**
     * A number of tokens {@code text} encodes to at least, found without encoding it: lets a
     * caller rule out what cannot fit a budget. 0 is always true, and is what a counter that knows
     * no cheaper bound returns.
     */
    default int atLeast(String text) {
        return 0;
    }

    /**
     * Tokens of {@code lines} joined by line breaks, given the count of each line (lines hold no line
     * break and do not start or end with whitespace). A counter that knows how its tokenizer treats a
     * line break may find it without encoding the lines again.
     */
    default int countLines(List<String> lines, int[] counts) {
        return count(String.join("\n", lines));
    }

    /** Token ids of {@code text}. */
    List<Integer> encode(String text);

    /** Text of the given token ids; the inverse of {@link #encode(String)}. */
    String decode(List<Integer> tokens);
}
