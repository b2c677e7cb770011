package dev.precis.ingest;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Lets records with the same key through one after another, in the order they arrived, while
 * records with different keys run concurrently. Each record takes a {@link Turn} on arrival (in
 * input order), waits for the turn before it to end, and ends its own once its output is handed to
 * the producer (which keeps a partition's sends in order) or the record failed.
 */
public final class SameKeyOrder {

    private final Map<ByteBuffer, Turn> lastByKey = new HashMap<>();

    /** Called in input order. A record without a key is not ordered against anything. */
    public synchronized Turn arrive(byte[] key) {
        if (key == null) {
            return null;
        }
        ByteBuffer k = ByteBuffer.wrap(key.clone());
        Turn turn = new Turn(this, k, lastByKey.get(k));
        lastByKey.put(k, turn);
        return turn;
    }

    /** Keys with a record waiting or running; for tests and metrics. */
    public synchronized int keysInFlight() {
        return lastByKey.size();
    }

    private synchronized void ended(Turn turn) {
        // Forget the key once its newest record is done, so the map holds only keys in flight.
        lastByKey.remove(turn.key, turn);
    }

    /** One record's place in its key's line. */
    public static final class Turn {
        private final SameKeyOrder order;
        private final ByteBuffer key;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private Turn previous;

        private Turn(SameKeyOrder order, ByteBuffer key, Turn previous) {
            this.order = order;
            this.key = key;
            this.previous = previous;
        }

        /** Blocks until the record before this one with the same key has ended. */
        public void awaitPrevious() throws InterruptedException {
            Turn before;
            synchronized (this) {
                before = previous;
            }
            if (before == null) {
                return;
            }
            try {
                before.done.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("a turn never fails", e);
            }
            synchronized (this) {
                // Drop the link so a long line of one key does not keep every finished turn alive.
                previous = null;
            }
        }

        /**
         * Ends this record's turn (output handed to the producer, or the record failed); idempotent. A record that
         * failed before its turn came still hands on only after the records before it.
         */
        public void end() {
            Turn before;
            synchronized (this) {
                before = previous;
            }
            if (before == null) {
                finish();
            } else {
                before.done.thenRun(this::finish);
            }
        }

        private void finish() {
            if (done.complete(null)) {
                order.ended(this);
            }
        }
    }
}
