package dev.precis.ops;

import dev.precis.llm.LlmException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** What the last model calls said about the endpoint: reachable, throttled or refusing us. */
@ApplicationScoped
public class ModelState {

    /** The endpoint's state as seen by the worker. */
    public enum State { UNUSED, REACHABLE, THROTTLED, UNAVAILABLE, REFUSED }

    private record Seen(State state, Instant at, String detail) {
    }

    private final AtomicReference<Seen> last = new AtomicReference<>(new Seen(State.UNUSED, Instant.now(), ""));

    void succeeded() {
        last.set(new Seen(State.REACHABLE, Instant.now(), ""));
    }

    void failed(LlmException e) {
        State state = switch (e.kind()) {
            case RATE_LIMITED -> State.THROTTLED;
            case UNAVAILABLE -> State.UNAVAILABLE;
            case REJECTED -> State.REFUSED;
            // The endpoint answered; these say something about one request, not about the endpoint.
            case CONTEXT_LENGTH_EXCEEDED, CONTENT_FILTERED -> State.REACHABLE;
        };
        last.set(new Seen(state, Instant.now(), e.getMessage()));
    }

    public State state() {
        return last.get().state();
    }

    public Instant since() {
        return last.get().at();
    }

    /** Why the last call failed, in the gateway's own words (never the provider's body). */
    public String detail() {
        return last.get().detail();
    }
}
