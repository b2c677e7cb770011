package dev.precis.chunking;

import com.knuddels.jtokkit.api.Encoding;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Token counts of words met before, so that a word that recurs costs a lookup, not an encoding
 * (jtokkit takes microseconds for one word). Bounded: a word has two slots side by side, the newer
 * word in the first, so two words that share their slots both stay; with one slot a word, such
 * words pushed each other out again and again. ASCII words are kept as their characters packed
 * 7 bits each (the character 0 excluded, so the packing also tells the length): a lookup then
 * compares numbers instead of strings, and most words, being short, take a single load. A worker
 * that also runs Kafka clients finds little of a large table in its caches, and each dependent
 * load there (slot, record, string, bytes) was likely a miss.
 */
final class WordCounts {

    /** The longest word kept, and packed when ASCII: three longs of eight characters. */
    static final int LONGEST_PACKED = 24;
    private static final int SHORT_BITS = 16;
    private static final int LONGER_BITS = 16;
    private static final long SHORT_KEY = (1L << 56) - 1;
    private static final VarHandle SHORT_SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final Encoding encoding;
    // Up to 8 characters: the key in the low 56 bits, the count in the top byte, one long a slot.
    private final long[] shortWords = new long[1 << SHORT_BITS];
    private final Packed[] longerWords = new Packed[1 << LONGER_BITS];
    private final Word[] otherWords = new Word[1 << 17];

    WordCounts(Encoding encoding) {
        this.encoding = encoding;
    }

    /**
     * The count of text[from, to). {@code hash} is its {@link String#hashCode()}; p0, p1 and p2
     * hold its characters packed (characters 1-8, 9-16, 17-24), or p0 is 0 if they cannot be.
     */
    int count(String text, int from, int to, int hash, long p0, long p1, long p2) {
        int length = to - from;
        if (length == 0) {
            return 0;
        }
        if (p0 != 0 && length <= 8) {
            int slot = (int) ((p0 * 0x9E3779B97F4A7C15L) >>> (64 - SHORT_BITS)) & ~1;
            long first = (long) SHORT_SLOT.getOpaque(shortWords, slot);
            if ((first & SHORT_KEY) == p0) {
                return (int) (first >>> 56);
            }
            long second = (long) SHORT_SLOT.getOpaque(shortWords, slot + 1);
            if ((second & SHORT_KEY) == p0) {
                return (int) (second >>> 56);
            }
            int count = encode(text, from, to);
            // Opaque access writes and reads a long whole: a racing reader sees one word or another.
            SHORT_SLOT.setOpaque(shortWords, slot + 1, first);
            SHORT_SLOT.setOpaque(shortWords, slot, p0 | (long) count << 56);
            return count;
        }
        if (p0 != 0) {
            long mixed = p0 * 0x9E3779B97F4A7C15L + p1 * 0xC2B2AE3D27D4EB4FL + p2 * 0x165667B19E3779F9L;
            int slot = (int) (mixed >>> (64 - LONGER_BITS)) & ~1;
            for (int way = slot; way <= slot + 1; way++) {
                Packed known = longerWords[way];
                if (known != null && known.p0 == p0 && known.p1 == p1 && known.p2 == p2) {
                    return known.count;
                }
            }
            // Records are immutable: a reader racing with these writes sees whole ones.
            Packed counted = new Packed(p0, p1, p2, encode(text, from, to));
            longerWords[slot + 1] = longerWords[slot];
            longerWords[slot] = counted;
            return counted.count;
        }
        if (length > LONGEST_PACKED) {
            return encode(text, from, to);
        }
        int slot = (hash ^ (hash >>> 16)) & (otherWords.length - 2);
        for (int way = slot; way <= slot + 1; way++) {
            Word known = otherWords[way];
            if (known != null && known.text.length() == length && text.regionMatches(from, known.text, 0, length)) {
                return known.count;
            }
        }
        String word = text.substring(from, to);
        Word counted = new Word(word, encoding.countTokensOrdinary(word));
        otherWords[slot + 1] = otherWords[slot];
        otherWords[slot] = counted;
        return counted.count;
    }

    private int encode(String text, int from, int to) {
        return encoding.countTokensOrdinary(text.substring(from, to));
    }

    private record Packed(long p0, long p1, long p2, int count) {
    }

    private record Word(String text, int count) {
    }
}
