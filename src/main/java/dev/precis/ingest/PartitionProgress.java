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
