package dev.precis.llm;

import java.lang.ref.WeakReference;

/**
 * Families of writing that tokenizers treat very differently (an open model's tokenizer may spend
 * twice OpenAI's tokens on Hangul and the same on English), so token ratios are learned per family.
 */
public enum Script {
    LATIN, HAN_KANA, HANGUL, OTHER, MIXED;

    private static final int SAMPLE = 8_192;
    private static final Script[] FAMILIES = values();
    // Below this (Basic Latin, Latin-1, Latin Extended-A and -B) every letter is Latin.
    private static final char LATIN_END = '\u0250';

    /** The family most of the letters in {@code text} belong to, or MIXED when none has 60%. */
    public static Script of(String text) {
        int[] counts = letters(text);
        int letters = counts[FAMILIES.length];
        if (letters == 0) {
            return LATIN;
        }
        for (int i = 0; i < FAMILIES.length; i++) {
            if (counts[i] >= 0.6 * letters) {
                return FAMILIES[i];
            }
        }
        return MIXED;
    }

    /**
     * Letters per family, indexed by ordinal, from an even sample of at most about 8,000
     * characters; the last element is all letters counted. Plain numbers: it runs for every call.
     */
    static int[] letters(String text) {
        // A prompt is asked about several times in a row (its budget, whether it fits, its answer);
        // the last one counted on this thread is remembered, weakly, so that it is scanned once.
        Last last = LAST.get();
        if (last != null && last.text().get() == text) {
            return last.counts();
        }
        int[] counts = new int[FAMILIES.length + 1];
        counts[FAMILIES.length] = count(text, counts);
        LAST.set(new Last(new WeakReference<>(text), counts));
        return counts;
    }

    private record Last(WeakReference<String> text, int[] counts) {
    }

    private static final ThreadLocal<Last> LAST = new ThreadLocal<>();

    // Called for every model call's prompt, often more than once: plain arrays, and no Unicode
    // table look-up for the letters of the Latin alphabets, which most text is made of.
    private static int count(String text, int[] counts) {
        int step = Math.max(1, text.length() / SAMPLE);
        int letters = 0;
        for (int i = 0; i < text.length(); i += step) {
            char c = text.charAt(i);
            if (c < LATIN_END) {
                if (Character.isLetter(c)) {
                    letters++;
                    counts[LATIN.ordinal()]++;
                }
                continue;
            }
            int cp = text.codePointAt(i);
            if (Character.isLetter(cp)) {
                letters++;
                counts[family(cp).ordinal()]++;
            }
        }
        return letters;
    }

    private static Script family(int cp) {
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        return switch (s) {
            case LATIN, COMMON, INHERITED -> LATIN;
            case HAN, HIRAGANA, KATAKANA, BOPOMOFO -> HAN_KANA;
            case HANGUL -> HANGUL;
            default -> OTHER;
        };
    }
}
