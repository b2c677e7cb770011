package dev.precis.llm;

import java.util.Optional;

/** The server behind a model, asked about the window it serves and, where it can, to count tokens. */
public interface ModelServer {

    /** What a model server said about the model it serves: its kind, window, trained window (0: unsaid). */
    record Discovered(String server, int window, int trainedWindow, String detail) {
    }

    /** A server that is never asked (public providers, whose windows are in the built-in profiles). */
    ModelServer NONE = new ModelServer() {
        @Override
        public Optional<Discovered> discover() {
            return Optional.empty();
        }

        @Override
        public int count(String system, String user) {
            return -1;
        }
    };

    /** What the server says about its window; empty when it answers none of the known endpoints. */
    Optional<Discovered> discover();

    /** Tokens the server's own tokenizer counts for the two messages, or -1 when it cannot say. */
    int count(String system, String user);
}
