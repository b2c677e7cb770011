package dev.precis.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The one place that turns the {@code kafka.*} settings (bootstrap, security; as the connector
 * sees them) into a client's own: every admin, consumer and producer the worker opens beside the
 * engine (partial store, Batch API ledger, budget shares, result view, lag and drain monitors,
 * exactly-once transactions) gets its settings here.
 */
public final class KafkaSettings {

    private KafkaSettings() {
    }

    /** The entries a client of the kind whose setting names are {@code names} accepts. */
    public static Map<String, Object> only(Map<String, Object> kafka, Set<String> names) {
        Map<String, Object> out = new HashMap<>();
        kafka.forEach((k, v) -> {
            if (names.contains(k)) {
                out.put(k, v);
            }
        });
        out.putIfAbsent("bootstrap.servers", "localhost:9092");
        return out;
    }
}
