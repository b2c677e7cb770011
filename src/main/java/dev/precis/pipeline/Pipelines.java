package dev.precis.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One pipeline per configured model, found by the name a document gives in its {@code model}
 * field; documents that name none go to the default.
 */
public final class Pipelines {

    private final Map<String, Pipeline> byName;
    private final Pipeline fallback;

    public Pipelines(Map<String, Pipeline> byName, Pipeline fallback) {
        this.byName = Map.copyOf(new LinkedHashMap<>(byName));
        this.fallback = fallback;
    }

    /** A single pipeline that every document goes to. */
    public static Pipelines only(Pipeline pipeline) {
        return new Pipelines(Map.of(), pipeline);
    }

    /**
     * The pipeline for {@code model}, the default when null (or when there is only one pipeline);
     * empty when no such model is configured.
     */
    public Optional<Pipeline> forModel(String model) {
        return model == null || byName.isEmpty() ? Optional.of(fallback) : Optional.ofNullable(byName.get(model));
    }

    /** Names documents may use; empty when documents cannot choose. */
    public Set<String> names() {
        return byName.keySet();
    }
}
