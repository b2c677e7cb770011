package dev.precis.pipeline;

/** Final state of a document that was read correctly; unreadable input goes to the dead-letter topic. */
public enum Status {
    /** A summary was produced (possibly with warnings). */
    SUMMARIZED,
    /** The model could not produce a summary; {@code error} says why. */
    FAILED
}
