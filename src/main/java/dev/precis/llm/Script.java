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

    /** The family most of the letters in {@code text} belong to, or MIXED when none has 60%. */
    public static Script of(String text) {
        Map<Script, Double> shares = shares(text);
        for (Map.Entry<Script, Double> e : shares.entrySet()) {
            if (e.getValue() >= 0.6) {
                return e.getKey();
            }
        }
        return shares.isEmpty() ? LATIN : MIXED;
    }

    /** Share of letters per family, from an even sample of at most about 8,000 characters. */
    public static Map<Script, Double> shares(String text) {
        Map<Script, Double> counts = new EnumMap<>(Script.class);
        int step = Math.max(1, text.length() / SAMPLE);
        int letters = 0;
        for (int i = 0; i < text.length(); i += step) {
            int cp = text.codePointAt(i);
            if (!Character.isLetter(cp)) {
                continue;
            }
            letters++;
            counts.merge(family(cp), 1.0, Double::sum);
        }
        if (letters > 0) {
            int total = letters;
            counts.replaceAll((k, v) -> v / total);
        }
        return counts;
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
