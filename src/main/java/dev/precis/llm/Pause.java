package dev.precis.llm;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Holds a model's calls while its provider refuses the account (no quota, bad key). While closed,
 * one waiting call at a time is let through per probe interval; its outcome opens the pause or
 * keeps it closed. Nothing is dropped: held calls simply wait.
 */
final class Pause {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition opened = lock.newCondition();
    private boolean closed;
    private boolean probing;
    private long nextProbeAt;

    /**
     * Returns when this call may go: false when the model is not paused, true when it goes as the
     * probe (the caller then reports back through {@link #open} or {@link #close}).
     */
    boolean awaitTurn(Duration probeInterval) throws InterruptedException {
        lock.lock();
        try {
            while (closed) {
                long now = System.nanoTime();
                if (!probing && now >= nextProbeAt) {
                    probing = true;
                    nextProbeAt = now + probeInterval.toNanos();
                    return true;
                }
                long until = probing ? probeInterval.toNanos() : nextProbeAt - now;
                opened.awaitNanos(Math.max(until, 1_000_000));
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Closes (or keeps closed) after a refusal; true when this call is the one that closed it. */
    boolean close(Duration probeInterval) {
        lock.lock();
        try {
            boolean first = !closed;
            if (first) {
                nextProbeAt = System.nanoTime() + probeInterval.toNanos();
            }
            closed = true;
            probing = false;
            return first;
        } finally {
            lock.unlock();
        }
    }

    void open() {
        lock.lock();
        try {
            closed = false;
            probing = false;
            opened.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }
}
