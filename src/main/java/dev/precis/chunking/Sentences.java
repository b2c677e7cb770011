package dev.precis.chunking;

import java.util.ArrayList;
import java.util.List;

/** Sentences of a text, in order, trimmed; markdown lines (headings, list items) end a sentence too. */
public final class Sentences {

    private Sentences() {
    }

    /** The non-blank sentences of {@code text}. */
    public static List<String> of(String text) {
        List<String> out = new ArrayList<>();
        for (String line : Boundaries.split(text, Boundaries.Level.LINE)) {
            for (String sentence : Boundaries.split(line, Boundaries.Level.SENTENCE)) {
                String s = sentence.strip();
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
        }
        return out;
    }
}
