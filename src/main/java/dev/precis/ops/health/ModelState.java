package dev.precis.ops.health;

import dev.precis.llm.LlmException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** What the last calls to each model said about it: reachable, throttled or refusing us. */
@ApplicationScoped
public class ModelState {

    /** A model's state as seen by the worker. */
    public enum State { UNUSED, REACHABLE, THROTTLED, UNAVAILABLE, REFUSED }

    /** The state, since when, and why (in the gateway's words, never the provider's body). */
    public record Seen(State state, Instant at, String detail) {
    }

    private final Map<String, Seen> models = new ConcurrentHashMap<>();
    private final Map<String, dev.precis.llm.ServerWindow> windows = new ConcurrentHashMap<>();

    /** Registers a model's window, shown in readiness. */
    public void window(String model, dev.precis.llm.ServerWindow window) {
        windows.put(model, window);
    }

    /** Every registered model's window, by name. */
    public Map<String, dev.precis.llm.ServerWindow> windows() {
        return new TreeMap<>(windows);
    }

    public void succeeded(String model) {
        Seen before = models.get(model);
        if (before == null || before.state() != State.REACHABLE) {
            models.put(model, new Seen(State.REACHABLE, Instant.now(), ""));
        }
    }

    public void failed(String model, LlmException e) {
        State state = switch (e.kind()) {
            case RATE_LIMITED -> State.THROTTLED;
            case UNAVAILABLE -> State.UNAVAILABLE;
            case ACCOUNT -> State.REFUSED;
            // The endpoint answered; these say something about one request, not about the endpoint.
            case CONTEXT_LENGTH_EXCEEDED, CONTENT_FILTERED, REJECTED -> State.REACHABLE;
        };
        Seen before = models.get(model);
        // A paused model stays refused until a call succeeds, whatever other failures say meanwhile.
        if (before == null || before.state() != State.REFUSED || state == State.REFUSED) {
            models.put(model, new Seen(state, Instant.now(), e.getMessage()));
        }
    }

    /** Every model that has been called, by name. */
    public Map<String, Seen> all() {
        return new TreeMap<>(models);
    }

    /** True when no model refuses the account. */
    public boolean usable() {
        return models.values().stream().noneMatch(s -> s.state() == State.REFUSED);
    }
}
