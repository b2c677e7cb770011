package dev.precis.chunking;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into chunks of at most a given number of tokens, cutting at paragraph, then line,
 * then sentence, then word boundaries, and at token boundaries only for a single over-long word.
 * Without overlap the chunks concatenate back to the input; none is ever over the budget.
 */
public final class TextSplitter {

    /** Smallest budget accepted: one character can take up to four byte-level tokens. */
    public static final int MIN_BUDGET = 8;
    // Text this many characters per budget token almost never fits (English averages about 4.5).
    private static final int SURELY_TOO_LONG_CHARS_PER_TOKEN = 8;
    // A chunk with more free room than this share of the budget opens the next piece to fill it.
    private static final double REFINE_ROOM = 0.08;
    private static final Boundaries.Level[] LEVELS = Boundaries.Level.values();

    private final TokenCounter counter;

    public TextSplitter(TokenCounter counter) {
        this.counter = counter;
    }

    /** Chunks of {@code text}, each at most {@code budget} tokens, filled close to the budget. */
    public List<Chunk> split(String text, int budget) {
        return split(text, budget, 0);
    }

    /**
     * Chunks of at most {@code budget} tokens where each chunk after the first starts with up to
     * {@code overlap} tokens of the previous one's end, cut at piece boundaries.
     */
    public List<Chunk> split(String text, int budget, int overlap) {
        if (budget < MIN_BUDGET) {
            throw new IllegalArgumentException("Chunk budget must be at least " + MIN_BUDGET + " tokens, was " + budget);
        }
        if (overlap < 0 || overlap > budget / 2) {
            throw new IllegalArgumentException("Overlap must be between 0 and half the budget (" + budget / 2
                    + " tokens), was " + overlap);
        }
        List<Piece> pieces = new ArrayList<>();
        atomize(text, 0, budget, pieces);
        return new Packer(pieces, budget, overlap).pack();
    }

    /** A run of text that fits the budget; {@code level} is the boundary level that would split it further. */
    private record Piece(String text, int tokens, int level) {
    }

    /** Breaks text into pieces that each fit the budget, going one boundary level finer at a time. */
    private void atomize(String text, int level, int budget, List<Piece> out) {
        if (level < LEVELS.length && text.length() > SURELY_TOO_LONG_CHARS_PER_TOKEN * (long) budget) {
            // Counting a text that will be split anyway would tokenize it twice; split it right away.
            splitAt(text, level, budget, out);
            return;
        }
        int tokens = counter.count(text);
        if (tokens <= budget) {
            out.add(new Piece(text, tokens, isFence(text) ? LEVELS.length : level));
        } else if (level == LEVELS.length) {
            cutByTokens(text, budget, out);
        } else {
            splitAt(text, level, budget, out);
        }
    }

    private void splitAt(String text, int level, int budget, List<Piece> out) {
        for (String part : Boundaries.split(text, LEVELS[level])) {
            atomize(part, level + 1, budget, out);
        }
    }

    /** Finer pieces of one piece that fits, to fill the room left at a chunk's edge. */
    private List<Piece> refine(Piece piece, int budget) {
        for (int level = piece.level(); level < LEVELS.length; level++) {
            List<String> parts = Boundaries.split(piece.text(), LEVELS[level]);
            if (parts.size() > 1) {
                List<Piece> out = new ArrayList<>(parts.size());
                for (String part : parts) {
                    atomize(part, level + 1, budget, out);
                }
                return out;
            }
        }
        return List.of(new Piece(piece.text(), piece.tokens(), LEVELS.length));
    }

    // A fenced code block that fits is never opened to fill a chunk's edge.
    private static boolean isFence(String text) {
        String t = text.stripLeading();
        return t.startsWith("```") || t.startsWith("~~~");
    }

    /** Cuts one unbreakable run (a base64 blob, a URL wall) at token boundaries; drops nothing. */
    private void cutByTokens(String text, int budget, List<Piece> out) {
        String rest = text;
        while (!rest.isEmpty()) {
            List<Integer> ids = counter.encode(rest);
            int take = Math.min(budget, ids.size());
            String head = counter.decode(ids.subList(0, take));
            // Back off while the cut splits a character or the head re-counts above the budget.
            while (take > 1 && (!rest.startsWith(head) || counter.count(head) > budget)) {
                take--;
                head = counter.decode(ids.subList(0, take));
            }
            if (head.isEmpty() || !rest.startsWith(head)) {
                head = rest.substring(0, Character.charCount(rest.codePointAt(0)));
            }
            out.add(new Piece(head, counter.count(head), LEVELS.length));
            rest = rest.substring(head.length());
        }
    }

    /** Greedy packing by summed counts, refining the piece at a chunk's edge, then an exact re-count. */
    private final class Packer {
        private final List<Piece> pieces;
        private final int budget;
        private final int overlap;
        private final List<Chunk> chunks = new ArrayList<>();

        Packer(List<Piece> pieces, int budget, int overlap) {
            this.pieces = pieces;
            this.budget = budget;
            this.overlap = overlap;
        }

        List<Chunk> pack() {
            int i = 0;
            int carried = 0;
            while (i < pieces.size()) {
                int from = carried;
                int sum = 0;
                for (int k = from; k < i; k++) {
                    sum += pieces.get(k).tokens();
                }
                int end = i;
                while (end < pieces.size()) {
                    Piece next = pieces.get(end);
                    if (sum + next.tokens() <= budget) {
                        sum += next.tokens();
                        end++;
                    } else if (budget - sum >= REFINE_ROOM * budget && next.level() < LEVELS.length) {
                        pieces.remove(end);
                        pieces.addAll(end, refine(next, budget));
                    } else {
                        break;
                    }
                }
                end = Math.max(end, i + 1);
                end = close(from, i, end);
                i = end;
                carried = overlapStart(i);
            }
            return chunks;
        }

        /** Records the chunk of pieces [from, end) and returns its end after any exact-count shrink. */
        private int close(int from, int firstNew, int end) {
            String text = join(from, end);
            int exact = counter.count(text);
            // Tokens can merge differently across a joint; shrink until the exact count fits.
            while (exact > budget && end - firstNew > 1) {
                end--;
                text = join(from, end);
                exact = counter.count(text);
            }
            while (exact > budget && from < firstNew) {
                from++;
                text = join(from, end);
                exact = counter.count(text);
            }
            chunks.add(new Chunk(chunks.size(), text, exact, join(from, firstNew).length()));
            return end;
        }

        /** First piece to repeat at the start of the next chunk: the tail of the last one, up to the overlap. */
        private int overlapStart(int next) {
            int start = next;
            int sum = 0;
            while (overlap > 0 && start > 0 && next < pieces.size()
                    && sum + pieces.get(start - 1).tokens() <= overlap) {
                start--;
                sum += pieces.get(start).tokens();
            }
            return start;
        }

        private String join(int from, int to) {
            StringBuilder sb = new StringBuilder();
            for (int k = from; k < to; k++) {
                sb.append(pieces.get(k).text());
            }
            return sb.toString();
        }
    }
}
