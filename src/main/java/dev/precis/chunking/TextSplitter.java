package dev.precis.chunking;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into chunks of at most a given number of tokens, cutting at paragraph, then line,
 * then sentence, then word boundaries, and at token boundaries only for a single over-long word.
 * The chunks concatenate back to the input text; none is ever over the budget.
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
        if (budget < MIN_BUDGET) {
            throw new IllegalArgumentException("Chunk budget must be at least " + MIN_BUDGET + " tokens, was " + budget);
        }
        List<Piece> pieces = new ArrayList<>();
        atomize(text, 0, budget, pieces);
        return pack(pieces, budget);
    }

    private record Piece(String text, int tokens) {
    }

    /** Breaks text into pieces that each fit the budget, going one boundary level finer at a time. */
    private void atomize(String text, int level, int budget, List<Piece> out) {
        int tokens = counter.count(text);
        if (tokens <= budget) {
            out.add(new Piece(text, tokens));
            return;
        }
        if (level == LEVELS.length) {
            cutByTokens(text, budget, out);
            return;
        }
        List<String> parts = Boundaries.split(text, LEVELS[level]);
        if (parts.size() == 1) {
            atomize(text, level + 1, budget, out);
            return;
        }
        for (String part : parts) {
            atomize(part, level + 1, budget, out);
        }
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
            out.add(new Piece(head, counter.count(head)));
            rest = rest.substring(head.length());
        }
    }

    /** Greedy packing by summed counts, then an exact re-count of each chunk before it is closed. */
    private List<Chunk> pack(List<Piece> pieces, int budget) {
        List<Chunk> chunks = new ArrayList<>();
        int i = 0;
        while (i < pieces.size()) {
            int end = i;
            int sum = 0;
            while (end < pieces.size() && sum + pieces.get(end).tokens() <= budget) {
                sum += pieces.get(end).tokens();
                end++;
            }
            end = Math.max(end, i + 1);
            String text = join(pieces, i, end);
            int exact = counter.count(text);
            // Tokens can merge differently across a joint; shrink until the exact count fits.
            while (exact > budget && end - i > 1) {
                end--;
                text = join(pieces, i, end);
                exact = counter.count(text);
            }
            chunks.add(new Chunk(chunks.size(), text, exact));
            i = end;
        }
        return chunks;
    }

    private static String join(List<Piece> pieces, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int k = from; k < to; k++) {
            sb.append(pieces.get(k).text());
        }
        return sb.toString();
    }
}
