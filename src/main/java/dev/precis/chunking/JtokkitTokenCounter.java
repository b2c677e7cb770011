package dev.precis.chunking;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Token counter backed by a jtokkit BPE encoding such as {@code o200k_base}. */
public final class JtokkitTokenCounter implements TokenCounter {

    // The lazy registry loads only the encodings actually used (the eager one costs ~64 MB).
    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

    private final Encoding encoding;
    private final WordCounts words;

    private JtokkitTokenCounter(Encoding encoding) {
        this.encoding = encoding;
        this.words = new WordCounts(encoding);
    }

    /** Counter for an encoding name, for example {@code cl100k_base} or {@code o200k_base}. */
    public static JtokkitTokenCounter forEncoding(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (EncodingType type : EncodingType.values()) {
            if (type.getName().equals(wanted)) {
                return new JtokkitTokenCounter(REGISTRY.getEncoding(type));
            }
        }
        throw new IllegalArgumentException("Unknown tokenizer encoding '" + name + "'; known: "
                + List.of(EncodingType.values()).stream().map(EncodingType::getName).toList());
    }

    /**
     * Counted word by word, each word's count remembered. Every tiktoken encoding splits text into
     * pieces before it merges bytes, and a space that comes before a visible character always starts
     * a piece (no pattern lets a piece hold a space after anything but whitespace, and the pattern
     * for runs of whitespace leaves their last space to the word after it). So the text's count is
     * the sum of the counts of its words, each with its leading space; words recur (" the", " of",
     * " model"), and a remembered count costs a lookup instead of an encoding.
     */
    @Override
    public int count(String text) {
        int total = 0;
        int start = 0;
        int hash = 0;
        long p0 = 0;
        long p1 = 0;
        long p2 = 0;
        boolean packable = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' && i > start && i + 1 < text.length() && visible(text.charAt(i + 1))) {
                total += words.count(text, start, i, hash, packable ? p0 : 0, p1, p2);
                start = i;
                hash = 0;
                p0 = 0;
                p1 = 0;
                p2 = 0;
                packable = true;
            }
            hash = 31 * hash + c;
            int at = i - start;
            if (packable && c != 0 && c < 0x80 && at < WordCounts.LONGEST_PACKED) {
                long bits = (long) c << (7 * (at & 7));
                if (at < 8) {
                    p0 |= bits;
                } else if (at < 16) {
                    p1 |= bits;
                } else {
                    p2 |= bits;
                }
            } else {
                packable = false;
            }
        }
        return total + words.count(text, start, text.length(), hash, packable ? p0 : 0, p1, p2);
    }

    /** The count as jtokkit finds it by encoding the whole text at once. */
    int countEncoded(String text) {
        return text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }

    /**
     * The number of runs of text between spaces and tabs that hold a visible character. Every
     * tiktoken encoding first splits text into pieces that never hold a space or tab after a visible
     * character, so each such run is at least one piece, and each piece at least one token. Line
     * breaks are not taken as separators (one pattern lets a piece end in a line break followed by a
     * slash), and no-break spaces are not taken as visible (the patterns count them as whitespace).
     */
    @Override
    public int atLeast(String text) {
        int runs = 0;
        boolean counted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\f' || c == '\u000B') {
                counted = false;
            } else if (!counted && c != '\n' && c != '\r' && !anySpace(c)) {
                runs++;
                counted = true;
            }
        }
        return runs;
    }

    /**
     * Exact without encoding the lines again. Every tiktoken encoding splits text into pieces before
     * it merges bytes within each piece, and its split of {@code A + "\n" + B} differs from the splits
     * of A and B only in A's last piece: a punctuation piece takes the line break (".\n"); after a
     * word the line break is a piece of its own. A piece never holds a space after a visible
     * character, so the part of A from its last space on splits the same alone as within A. The line
     * break therefore adds count(tail + "\n") - count(tail) to the two counts, for that short tail.
     * B must not start with whitespace or a slash, which one pattern lets follow a punctuation piece's
     * line break; then the lines are simply joined and counted.
     */
    @Override
    public int countLines(List<String> lines, int[] counts) {
        int total = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty() || line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0 || line.charAt(0) == '/'
                    || anySpace(line.charAt(0)) || anySpace(line.charAt(line.length() - 1))) {
                return count(String.join("\n", lines));
            }
            total += counts[i];
            if (i > 0) {
                String before = lines.get(i - 1);
                String tail = before.substring(Math.max(0, before.lastIndexOf(' ')));
                total += count(tail + "\n") - count(tail);
            }
        }
        return total;
    }

    /** Not whitespace by any definition; printable ASCII is decided without a table lookup. */
    private static boolean visible(char c) {
        return c > ' ' && c < 0x7F || !anySpace(c);
    }

    /** Whitespace by any definition a tokenizer's pattern may use, the no-break spaces among it. */
    private static boolean anySpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    @Override
    public List<Integer> encode(String text) {
        IntArrayList ids = encoding.encodeOrdinary(text);
        List<Integer> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            out.add(ids.get(i));
        }
        return out;
    }

    @Override
    public String decode(List<Integer> tokens) {
        IntArrayList ids = new IntArrayList(tokens.size());
        tokens.forEach(ids::add);
        return encoding.decode(ids);
    }
}
