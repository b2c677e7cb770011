package dev.precis.chunking;

import java.util.List;

/** Counts, encodes and decodes tokens for one model's tokenizer. */
public interface TokenCounter {

    /** Number of tokens {@code text} encodes to; 0 for an empty string. */
    int count(String text);

    /** Token ids of {@code text}. */
    List<Integer> encode(String text);

    /** Text of the given token ids; the inverse of {@link #encode(String)}. */
    String decode(List<Integer> tokens);
}
