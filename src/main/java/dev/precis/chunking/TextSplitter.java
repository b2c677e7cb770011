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
        return new Packer(this, counter, pieces, budget, overlap, text).pack();
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
    List<Piece> refine(Piece piece, int budget) {
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
}
