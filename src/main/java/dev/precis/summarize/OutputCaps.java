package dev.precis.summarize;

/**
 * Output caps sized to what a step needs. A provider charges the cap a call asks for against its
 * tokens-per-minute limit, whatever the answer uses, so a cap larger than needed spends budget
 * that other calls could have used. The final summary keeps the length the document asks for.
 */
final class OutputCaps {

    /** Smallest cap for any step: enough for a sentence or two of substance. */
    static final int FLOOR = 64;
    /** What the partials of one document carry in all, as a multiple of the final summary. */
    static final int PARTIALS_PER_SUMMARY = 4;

    private OutputCaps() {
    }

    /**
     * A chunk's partial summary: together the partials carry a few times what the final summary
     * can hold (more would be cut by the combining step anyway), within [floor, partial ceiling].
     */
    static int perChunk(int finalTokens, int partialCeiling, int chunks) {
        int share = (int) Math.ceil((double) PARTIALS_PER_SUMMARY * finalTokens / Math.max(1, chunks));
        return Math.max(Math.min(FLOOR, partialCeiling), Math.min(partialCeiling, share));
    }

    /** A summary of a short piece (the last chunk, a split part) needs at most half its length. */
    static int atMostHalf(int cap, int textTokens) {
        return Math.min(cap, Math.max(Math.min(FLOOR, cap), textTokens / 2));
    }
}
