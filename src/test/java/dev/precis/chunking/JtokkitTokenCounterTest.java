package dev.precis.chunking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.precis.support.TestDocs;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shortcuts the counter offers must agree with encoding the text, for every encoding. */
class JtokkitTokenCounterTest {

    // Characters where tokenizers' splitting rules differ: punctuation runs, slashes, quotes and
    // contractions, digits, non-breaking and ideographic spaces, accents, CJK, Hangul, emoji.
    private static final String[] PIECES = {"word", "Word", "WORD", "é", "naïve", "it's", "they'LL", "'s", ".",
        ",", ").", "%).", "...", "/", "//", "?!", "-", "--", "—", "\"", "«", "»", "123", "4567", "3.14", "$", "#",
        "##", "*", "(", ")", "[1]", "\u00a0", "\u3000", "東京", "です。", "한국어", "😀", "👍🏽", "\t", "  ", "e.g.",
        "http://x.org/a", "a/b", ":", ";", "'", "`code`", "_", "¿", "،", "ñ", "Ω", "x²"};

    @ParameterizedTest
    @ValueSource(strings = {"o200k_base", "cl100k_base", "p50k_base", "r50k_base"})
    void countingWordByWordGivesTheCountOfTheWholeText(String encoding) {
        JtokkitTokenCounter counter = JtokkitTokenCounter.forEncoding(encoding);
        Random random = new Random(3);
        for (int n = 0; n < 3_000; n++) {
            String text = randomText(random, 1 + random.nextInt(40), true);
            // Twice: the second count comes from remembered words.
            assertEquals(counter.countEncoded(text), counter.count(text), () -> encoding + " " + quoted(text));
            assertEquals(counter.countEncoded(text), counter.count(text), () -> encoding + " " + quoted(text));
        }
        String prose = TestDocs.english(400, 5) + "\n\n" + TestDocs.korean(50, 5) + TestDocs.japanese(50, 5);
        assertEquals(counter.countEncoded(prose), counter.count(prose), encoding);
    }

    @ParameterizedTest
    @ValueSource(strings = {"o200k_base", "cl100k_base"})
    void shortWordsKeptInTheirPackedFormCountAsEncoded(String encoding) {
        JtokkitTokenCounter counter = JtokkitTokenCounter.forEncoding(encoding);
        Random random = new Random(11);
        // Far more distinct words than the packed tables have slots, so slots are taken over; every
        // ASCII character (NUL and DEL among them); lengths around 8, 16 and 24, the packing's limits.
        for (int n = 0; n < 40_000; n++) {
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < 4; w++) {
                text.append(' ');
                if (random.nextBoolean()) {
                    // Words that share their first 8 or 16 characters and differ after them.
                    text.append(random.nextBoolean() ? "representations" : "overparametrized", 0, 7 + 8 * random.nextInt(2));
                }
                int length = 1 + random.nextInt(26);
                for (int k = 0; k < length; k++) {
                    text.append(random.nextInt(8) == 0 ? (char) random.nextInt(128) : (char) ('a' + random.nextInt(4)));
                }
            }
            String s = text.toString();
            assertEquals(counter.countEncoded(s), counter.count(s), () -> encoding + " " + quoted(s));
            assertEquals(counter.countEncoded(s), counter.count(s), () -> encoding + " " + quoted(s));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"o200k_base", "cl100k_base", "p50k_base", "r50k_base"})
    void theLowerBoundIsNeverAboveTheCount(String encoding) {
        JtokkitTokenCounter counter = JtokkitTokenCounter.forEncoding(encoding);
        Random random = new Random(7);
        int tight = 0;
        for (int n = 0; n < 3_000; n++) {
            String text = randomText(random, 1 + random.nextInt(30), true);
            int count = counter.countEncoded(text);
            int bound = counter.atLeast(text);
            assertTrue(bound <= count, () -> encoding + ": " + bound + " > " + count + " for " + quoted(text));
            tight += bound == count ? 1 : 0;
        }
        String prose = TestDocs.english(20, 1);
        // Not vacuous: on prose the bound is most of the count.
        assertTrue(counter.atLeast(prose) > counter.count(prose) * 0.6, encoding);
        assertTrue(tight > 0, encoding);
    }

    @ParameterizedTest
    @ValueSource(strings = {"o200k_base", "cl100k_base", "p50k_base", "r50k_base"})
    void linesCountAsTheirJoinedText(String encoding) {
        JtokkitTokenCounter counter = JtokkitTokenCounter.forEncoding(encoding);
        Random random = new Random(11);
        for (int n = 0; n < 2_000; n++) {
            List<String> lines = new ArrayList<>();
            for (int k = 1 + random.nextInt(5); k > 0; k--) {
                // Bullets as the extractive summarizer writes them, and lines of anything else.
                String line = (random.nextBoolean() ? "- " : "") + randomText(random, 1 + random.nextInt(12), false);
                lines.add(line);
            }
            int[] counts = lines.stream().mapToInt(counter::count).toArray();
            String joined = String.join("\n", lines);
            assertEquals(counter.countEncoded(joined), counter.countLines(lines, counts), () -> encoding + " " + quoted(joined));
        }
    }

    private static String randomText(Random random, int pieces, boolean lineBreaks) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            sb.append(PIECES[random.nextInt(PIECES.length)]);
            int gap = random.nextInt(10);
            if (gap < 5) {
                sb.append(' ');
            } else if (gap == 5 && lineBreaks) {
                sb.append(random.nextBoolean() ? "\n" : "\r\n");
            }
        }
        return sb.toString();
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "\"";
    }
}
