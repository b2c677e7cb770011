package dev.precis.ops.stop;

import java.time.Duration;

/**
 * Counts documents between being taken up and having their output written, and closes the door
 * for a graceful stop: after {@link #close()} nothing new is taken up, and {@link #awaitEmpty}
 * waits for the documents already taken.
 */
public final class InFlight {

    private int count;
    private boolean closed;

    /** Takes a document up; false once closed (the record is left unacknowledged, so redelivered). */
    public synchronized boolean enter() {
        if (closed) {
            return false;
        }
        count++;
        return true;
    }

    /** The document's output is written (or it failed). */
    public synchronized void exit() {
        count--;
        notifyAll();
    }

    public synchronized void close() {
        closed = true;
    }

    public synchronized int count() {
        return count;
    }

    /** Waits until no document is in flight or the grace period ends; returns how many are left. */
    public synchronized int awaitEmpty(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        while (count > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return count;
    }
}
