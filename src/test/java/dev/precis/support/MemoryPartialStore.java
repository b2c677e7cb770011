package dev.precis.support;

import dev.precis.llm.PartialStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The partial store's contract in memory, for tests of what sits above it; what it holds can be read. */
public final class MemoryPartialStore implements PartialStore {

    private final Map<String, Partial> kept = new ConcurrentHashMap<>();

    @Override
    public Optional<Partial> find(String key) {
        return Optional.ofNullable(kept.get(key));
    }

    @Override
    public void save(String key, Partial partial) {
        kept.put(key, partial);
    }

    public Map<String, Partial> kept() {
        return kept;
    }
}
