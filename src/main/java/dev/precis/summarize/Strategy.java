package dev.precis.summarize;

/** How a summary was made. */
public enum Strategy {
    /** The whole document in one model call. */
    STUFF,
    /** Chunks summarized separately, then combined level by level into one summary. */
    MAP_REDUCE,
    /** A running summary updated chunk by chunk, in document order. */
    REFINE,
    /** Sentences selected from the document itself, without a model. */
    EXTRACTIVE
}
