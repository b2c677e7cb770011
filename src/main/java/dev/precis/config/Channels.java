package dev.precis.config;

/** Reactive Messaging channel names, shared with configuration and tests. */
public final class Channels {

    /** Incoming documents (topic {@code documents} by default). */
    public static final String DOCUMENTS = "documents";
    /** Outgoing results and dead letters (topic {@code summaries} by default; dead letters by metadata). */
    public static final String RESULTS = "summaries";

    private Channels() {
    }
}
