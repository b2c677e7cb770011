package dev.precis.ingest;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One partition's records taken up, in input order, each with its place ({@link Slot}) that its
 * worker marks written or failed. The offset that may be committed is the one after the longest run
 * of written records from the oldest: a record is never committed before its output is written, and
 * an output that could not be written holds the commit where it is. Used by the lane's own thread;
 * only a slot's state is set from other threads.
 */
final class PartitionProgress {

    // Kafka keeps up to 4096 bytes of metadata with a committed offset (offset.metadata.max.bytes).
    private static final int MOST_METADATA = 3000;
    private static final int MOST_SKIPPED = 100_000;

    private final Deque<Slot> slots = new ArrayDeque<>();
    private long next = -1;

    /** Takes up the record at {@code offset}, the next one read from this partition. */
    Slot add(long offset) {
        Slot slot = new Slot(offset);
        slots.addLast(slot);
        return slot;
    }

    /** Drops the written records from the front; the offset to commit, or -1 when none is written yet. */
    long advance() {
        while (!slots.isEmpty() && slots.peekFirst().state == Slot.WRITTEN) {
            next = slots.pollFirst().offset + 1;
        }
        return next;
    }

    /** The oldest record whose output could not be written, if it is at the front (after {@link #advance}). */
    Slot failedAtFront() {
        Slot first = slots.peekFirst();
        return first != null && first.state == Slot.FAILED ? first : null;
    }

    /** Where to read again so that nothing unwritten is skipped: the oldest record not written. */
    long readAgainFrom() {
        advance();
        Slot first = slots.peekFirst();
        return first == null ? next : first.offset;
    }

    /**
     * The records written beyond the commit point, for the commit's metadata: offsets relative to
     * {@code next}, as ranges ({@code 2-5,9}). A new owner of the partition skips them instead of
     * summarizing them again (and paying twice); empty when there are none, cut short when long.
     */
    String writtenBeyond() {
        StringBuilder out = new StringBuilder();
        long base = next;
        long from = -1;
        long to = -1;
        for (Slot s : slots) {
            if (s.state != Slot.WRITTEN || base < 0) {
                continue;
            }
            long rel = s.offset - base;
            if (rel == to + 1 && from >= 0) {
                to = rel;
                continue;
            }
            if (!append(out, from, to)) {
                return out.toString();
            }
            from = rel;
            to = rel;
        }
        append(out, from, to);
        return out.toString();
    }

    private static boolean append(StringBuilder out, long from, long to) {
        if (from < 0) {
            return true;
        }
        if (out.length() > MOST_METADATA) {
            return false;
        }
        out.append(out.isEmpty() ? "" : ",").append(from);
        if (to > from) {
            out.append('-').append(to);
        }
        return true;
    }

    /** The offsets {@link #writtenBeyond} named, made absolute from the committed {@code offset}. */
    static java.util.Set<Long> parse(long offset, String metadata) {
        java.util.Set<Long> done = new java.util.HashSet<>();
        if (metadata == null || metadata.isBlank()) {
            return done;
        }
        try {
            for (String range : metadata.split(",")) {
                int dash = range.indexOf('-');
                long from = Long.parseLong(dash < 0 ? range : range.substring(0, dash));
                long to = dash < 0 ? from : Long.parseLong(range.substring(dash + 1));
                for (long rel = from; rel <= to && done.size() < MOST_SKIPPED; rel++) {
                    done.add(offset + rel);
                }
            }
        } catch (NumberFormatException e) {
            // Another writer's metadata: nothing is skipped.
            done.clear();
        }
        return done;
    }

    /** Whether every record taken up has its output written or failed. */
    boolean settled() {
        for (Slot s : slots) {
            if (s.state == Slot.OPEN) {
                return false;
            }
        }
        return true;
    }

    /** One record's place: open until its output is written or could not be. */
    static final class Slot {
        static final int OPEN = 0;
        static final int WRITTEN = 1;
        static final int FAILED = 2;

        final long offset;
        private volatile int state = OPEN;
        private volatile String failure;

        Slot(long offset) {
            this.offset = offset;
        }

        void written() {
            state = WRITTEN;
        }

        boolean isWritten() {
            return state == WRITTEN;
        }

        /** The output could not be written: {@code why}, in Kafka's words. */
        void failed(String why) {
            failure = why;
            state = FAILED;
        }

        String failure() {
            return failure;
        }
    }
}
