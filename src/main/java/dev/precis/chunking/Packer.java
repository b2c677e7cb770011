package dev.precis.chunking;

import java.util.ArrayList;
import java.util.List;

/** Packs pieces by estimate, counts each chunk exactly, and adjusts until it fits and is well filled. */
final class Packer {
    // Chunks aim at this share of the budget by estimate, then are checked exactly.
    private static final double TARGET_FILL = 0.98;
    // A chunk with less than this share of the budget, by exact count, tries to take more pieces.
    private static final double MIN_FILL = 0.90;
    // A chunk with more free room than this share of the budget opens the next piece to fill it.
    private static final double REFINE_ROOM = 0.08;
    private static final int MAX_ADJUSTMENTS = 8;

    private final TextSplitter splitter;
    private final TokenCounter counter;
    private final List<Piece> pieces;
    private final int budget;
    private final int overlap;
    private final List<Chunk> chunks = new ArrayList<>();
    private double tokensPerChar;

    Packer(TextSplitter splitter, TokenCounter counter, List<Piece> pieces, int budget, int overlap, String text) {
        this.splitter = splitter;
        this.counter = counter;
        this.pieces = pieces;
        this.budget = budget;
        this.overlap = overlap;
        String sample = text.substring(0, Math.min(text.length(), 4_000));
        this.tokensPerChar = Math.max(0.05, counter.count(sample) / Piece.weigh(sample));
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
                pieces.addAll(end, splitter.refine(next, budget));
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
                pieces.addAll(firstNew, splitter.refine(pieces.remove(firstNew), budget));
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
            tokensPerChar = 0.5 * tokensPerChar + 0.5 * exact / Piece.weigh(text);
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
