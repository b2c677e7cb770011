package dev.precis.llm;

import java.util.Optional;

/**
 * Answers of model calls kept by the hash of everything that shapes them (model, prompt version,
 * messages, output cap), so that a document redelivered after a crash or a rebalance does not pay
 * again for the parts already summarized. Implementations must be thread-safe.
 */
public interface PartialStore {

    /** A stored answer and what it cost when it was made. */
    record Partial(String text, int inputTokens, int outputTokens) {
    }

    PartialStore NONE = new PartialStore() {
        @Override
        public Optional<Partial> find(String key) {
            return Optional.empty();
        }

        @Override
        public void save(String key, Partial partial) {
        }
    };

    Optional<Partial> find(String key);

    void save(String key, Partial partial);
}
