package dev.precis.stores;

import com.fasterxml.jackson.databind.JsonNode;
import dev.precis.llm.GroupShares;
import java.util.HashMap;
import java.util.Map;

/**
 * One pod's last report on a model, the parts of the group's burst it started the pods it counted
 * with (when it started them), and when it was heard (this JVM's clock, so that clocks need not agree).
 */
record Heard(GroupShares.Report report, Map<String, Double> startedWith, long atNanos) {

    /** A report as another pod wrote it, heard now. */
    static Heard from(JsonNode v) {
        Map<String, Double> startedWith = new HashMap<>();
        v.path("startedWith").properties().forEach(p -> startedWith.put(p.getKey(), p.getValue().asDouble()));
        return new Heard(new GroupShares.Report(v.path("member").asText(), v.path("perMinute").asDouble(),
                v.path("waited").asBoolean()), startedWith, System.nanoTime());
    }
}
