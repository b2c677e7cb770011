package dev.precis.llm;

import java.util.EnumMap;
import java.util.Map;

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
        int[] counts = new int[FAMILIES.length];
        int letters = count(text, counts);
        if (letters == 0) {
            return LATIN;
        }
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] >= 0.6 * letters) {
                return FAMILIES[i];
            }
        }
        return MIXED;
    }

    /** Share of letters per family, from an even sample of at most about 8,000 characters. */
    public static Map<Script, Double> shares(String text) {
        int[] counts = new int[FAMILIES.length];
        int letters = count(text, counts);
        Map<Script, Double> shares = new EnumMap<>(Script.class);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                shares.put(FAMILIES[i], counts[i] / (double) letters);
            }
        }
        return shares;
    }

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
