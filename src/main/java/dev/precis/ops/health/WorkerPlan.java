package dev.precis.ops.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the worker decided at startup from its settings: which engine reads the input, the delivery
 * mode, each model with its window and budgets, work in flight, and anything it derived instead of
 * taking as set. Logged once as one block and shown in the readiness data, so a user can see what
 * runs without reading the settings' rules.
 */
@ApplicationScoped
public class WorkerPlan {

    private final Map<String, String> lines = new LinkedHashMap<>();

    /** Adds or replaces one line of the plan. */
    public synchronized void put(String what, String value) {
        lines.put(what, value);
    }

    /** The plan's lines, in the order they were first set. */
    public synchronized Map<String, String> lines() {
        return new LinkedHashMap<>(lines);
    }

    /** The plan as the block the startup logs. */
    public synchronized String block() {
        int width = lines.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder out = new StringBuilder("Plan:");
        lines.forEach((what, value) -> out.append("\n  ").append(what).append(" ".repeat(width - what.length() + 2))
                .append(value));
        return out.toString();
    }
}
