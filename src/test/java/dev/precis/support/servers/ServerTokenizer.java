package dev.precis.support.servers;

import dev.precis.chunking.JtokkitTokenCounter;
import dev.precis.chunking.TokenCounter;

/**
 * The tokenizer of a fake open-model server: counts the same text differently from the worker's
 * o200k_base, the way open models' tokenizers do (Mistral's spends about twice as many tokens on
 * Hangul; Gemma's fewer on Japanese).
 */
public interface ServerTokenizer {

    int count(String text);

    TokenCounter O200K = JtokkitTokenCounter.forEncoding("o200k_base");

    /** Counts like o200k_base. */
    static ServerTokenizer o200k() {
        return O200K::count;
    }

    /** o200k_base's count times {@code latin} for everything but Hangul, {@code hangul} for Hangul runs. */
    static ServerTokenizer scaled(double latin, double hangul) {
        return text -> {
            int hangulTokens = 0;
            StringBuilder run = new StringBuilder();
            StringBuilder rest = new StringBuilder();
            for (int i = 0; i < text.length(); ) {
                int cp = text.codePointAt(i);
                boolean isHangul = Character.UnicodeScript.of(cp) == Character.UnicodeScript.HANGUL;
                if (isHangul) {
                    run.appendCodePoint(cp);
                } else {
                    if (!run.isEmpty()) {
                        hangulTokens += O200K.count(run.toString());
                        run.setLength(0);
                    }
                    rest.appendCodePoint(cp);
                }
                i += Character.charCount(cp);
            }
            if (!run.isEmpty()) {
                hangulTokens += O200K.count(run.toString());
            }
            return (int) Math.ceil(O200K.count(rest.toString()) * latin + hangulTokens * hangul);
        };
    }
}
