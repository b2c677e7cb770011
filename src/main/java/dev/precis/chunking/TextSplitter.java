package dev.precis.chunking;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into chunks of at most a given number of tokens, cutting at paragraph, then line,
 * then sentence, then word boundaries, and at token boundaries only for a single over-long word.
 * Without overlap the chunks concatenate back to the input; none is ever over the budget.
 *
 * <p>Pieces are sized by an estimate (characters times the tokens-per-character ratio seen so far)
 * and every chunk is counted exactly once before it is accepted, with a few recounts when the
 * estimate was off. That tokenizes the text a little more than once in all.
 */
public final class TextSplitter {

    /** Smallest budget accepted: one character can take up to four byte-level tokens. */
    public static final int MIN_BUDGET = 8;
    // Chunks aim at this share of the budget by estimate, then are checked exactly.
    private static final double TARGET_FILL = 0.98;
    // A chunk with less than this share of the budget, by exact count, tries to take more pieces.
    private static final double MIN_FILL = 0.90;
    // A chunk with more free room than this share of the budget opens the next piece to fill it.
    private static final double REFINE_ROOM = 0.08;
    private static final int MAX_ADJUSTMENTS = 8;
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
        if (text.isEmpty()) {
            return List.of();
        }
        List<Piece> pieces = new ArrayList<>();
        coarse(text, 0, budget, pieces);
        return new Packer(pieces, budget, overlap, text).pack();
    }

    /**
     * A run of text; {@code level} is the boundary level that would split it further; {@code weight}
     * is its length with each wide (CJK, Hangul, kana) character counted as several, because such a
     * character takes several times the tokens of a Latin one.
     */
    private record Piece(String text, int level, double weight) {

        Piece(String text, int level) {
            this(text, level, weigh(text));
        }

        boolean splittable() {
            return level < LEVELS.length;
        }
    }

    private static final double WIDE_CHAR_WEIGHT = 4.0;

    static double weigh(String text) {
        int wide = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= '\u2E80') {
                wide++;
            }
        }
        return text.length() + (WIDE_CHAR_WEIGHT - 1) * wide;
    }

    /** Splits at natural boundaries until each piece is short enough to be likely under the budget. */
    private void coarse(String text, int level, int budget, List<Piece> out) {
        // Fewer characters than tokens allowed can still be over (CJK); the packer's exact count catches that.
        if (text.length() <= 2L * budget || level == LEVELS.length || isFence(text) && text.length() <= 4L * budget) {
            out.add(new Piece(text, isFence(text) ? LEVELS.length - 1 : level));
            return;
        }
        List<String> parts = Boundaries.split(text, LEVELS[level]);
        if (parts.size() == 1) {
            coarse(text, level + 1, budget, out);
            return;
        }
        for (String part : parts) {
            coarse(part, level + 1, budget, out);
        }
    }

    /** Finer pieces of one piece, or the piece cut at token boundaries when it has no finer boundary. */
    private List<Piece> refine(Piece piece, int budget) {
        for (int level = piece.level(); level < LEVELS.length; level++) {
            List<String> parts = Boundaries.split(piece.text(), LEVELS[level]);
            if (parts.size() > 1) {
                int next = Math.min(level + 1, LEVELS.length);
                return parts.stream().map(p -> new Piece(p, next)).toList();
            }
        }
        return cutByTokens(piece.text(), budget);
    }

    // A fenced code block is opened only when it cannot fit a chunk on its own.
    private static boolean isFence(String text) {
        String t = text.stripLeading();
        return t.startsWith("```") || t.startsWith("~~~");
    }

    /** Cuts one unbreakable run (a base64 blob, a URL wall) at token boundaries; drops nothing. */
    private List<Piece> cutByTokens(String text, int budget) {
        List<Piece> out = new ArrayList<>();
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
            out.add(new Piece(head, LEVELS.length));
            rest = rest.substring(head.length());
        }
        return out;
    }

    /** Packs pieces by estimate, counts each chunk exactly, and adjusts until it fits and is well filled. */
    private final class Packer {
        private final List<Piece> pieces;
        private final int budget;
        private final int overlap;
        private final List<Chunk> chunks = new ArrayList<>();
        private double tokensPerChar;

        Packer(List<Piece> pieces, int budget, int overlap, String text) {
            this.pieces = pieces;
            this.budget = budget;
            this.overlap = overlap;
            String sample = text.substring(0, Math.min(text.length(), 4_000));
            this.tokensPerChar = Math.max(0.05, counter.count(sample) / weigh(sample));
        }

        List<Chunk> pack() {
            int i = 0;
            int from = 0;
            while (i < pieces.size()) {
                int end = fill(from, i, i, estimate(from, i));
                int[] accepted = settle(from, i, end);
                from = accepted[0];
                i = accepted[1];
                from = overlapStart(i);
            }
            return chunks;
        }

        /** Adds pieces after {@code end} while the estimate stays under the target, opening the edge piece. */
        private int fill(int from, int firstNew, int end, double estimate) {
            double target = TARGET_FILL * budget;
            while (end < pieces.size()) {
                Piece next = pieces.get(end);
                double cost = estimate(next);
                if (estimate + cost <= target || end == firstNew && estimate == 0) {
                    estimate += cost;
                    end++;
                } else if (budget - estimate >= REFINE_ROOM * budget && next.splittable()) {
                    pieces.remove(end);
                    pieces.addAll(end, refine(next, budget));
                } else {
                    break;
                }
            }
            return Math.max(end, firstNew + 1);
        }

        /**
         * Counts the chunk [from, end) exactly and fixes it: drop pieces (or split a lone piece) while
         * over the budget, take more while under the minimum fill. Returns the accepted {from, end}.
         */
        private int[] settle(int from, int firstNew, int end) {
            int goodEnd = -1;
            int goodTokens = 0;
            String goodText = null;
            for (int round = 0; ; round++) {
                String text = join(from, end);
                int exact = counter.count(text);
                learn(text, exact);
                if (exact <= budget) {
                    goodEnd = end;
                    goodTokens = exact;
                    goodText = text;
                    boolean canGrow = end < pieces.size() && exact < MIN_FILL * budget && round < MAX_ADJUSTMENTS;
                    int grown = canGrow ? fill(from, firstNew, end, exact) : end;
                    if (grown == end) {
                        break;
                    }
                    end = grown;
                } else if (goodEnd >= 0) {
                    break;
                } else if (end - firstNew > 1) {
                    end = shrink(from, firstNew, end, exact - budget);
                } else if (from < firstNew) {
                    from++;
                } else {
                    // A lone piece over the budget: split it and start the chunk again.
                    pieces.addAll(firstNew, refine(pieces.remove(firstNew), budget));
                    end = fill(from, firstNew, firstNew, estimate(from, firstNew));
                }
            }
            chunks.add(new Chunk(chunks.size(), goodText, goodTokens, join(from, firstNew).length()));
            return new int[] {from, goodEnd};
        }

        /** Drops pieces from the end until the estimated drop covers the excess; keeps at least one new piece. */
        private int shrink(int from, int firstNew, int end, int excess) {
            double dropped = 0;
            while (end - firstNew > 1 && dropped < excess) {
                end--;
                dropped += estimate(pieces.get(end));
            }
            return end;
        }

        private void learn(String text, int exact) {
            if (text.length() >= 200) {
                // Weighted towards recent text, so that a change of style is followed.
                tokensPerChar = 0.5 * tokensPerChar + 0.5 * exact / weigh(text);
            }
        }

        private double estimate(Piece piece) {
            return piece.weight() * tokensPerChar;
        }

        private double estimate(int from, int to) {
            double sum = 0;
            for (int k = from; k < to; k++) {
                sum += estimate(pieces.get(k));
            }
            return sum;
        }

        /** First piece to repeat at the start of the next chunk: the tail of the last one, up to the overlap. */
        private int overlapStart(int next) {
            int start = next;
            double sum = 0;
            while (overlap > 0 && start > 0 && next < pieces.size()
                    && sum + estimate(pieces.get(start - 1)) <= overlap) {
                start--;
                sum += estimate(pieces.get(start));
            }
            // The estimate chose the pieces; an exact count (of a short text) keeps the overlap honest.
            while (start < next && counter.count(join(start, next)) > overlap) {
                start++;
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
