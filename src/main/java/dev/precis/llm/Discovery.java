package dev.precis.llm;

import dev.precis.chunking.ModelProfile;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.jboss.logging.Logger;

/** What a model's server says about the window it serves, asked on first use and after a refusal or truncation. */
final class Discovery {

    private static final Logger LOG = Logger.getLogger(Discovery.class);
    private static final long REDISCOVER_NANOS = 1_000_000_000L;

    private final ModelProfile configured;
    private final ModelServer server;
    private boolean asked;
    private volatile long askedAt;
    private volatile ModelServer.Discovered found;

    Discovery(ModelProfile configured, ModelServer server) {
        this.configured = configured;
        this.server = server;
    }

    /** The server's last answer with a window, or null when it gave none. */
    ModelServer.Discovered found() {
        return found;
    }

    /** Asks the server for its window, at most once a second; logs what changed. */
    synchronized void ask(String why, IntSupplier currentWindow) {
        long now = System.nanoTime();
        if (asked && now - askedAt < REDISCOVER_NANOS) {
            return;
        }
        asked = true;
        askedAt = now;
        ModelServer.Discovered before = found;
        Optional<ModelServer.Discovered> d;
        try {
            d = server.discover();
        } catch (RuntimeException e) {
            LOG.debugf("Model %s: asking its server for the window failed: %s", configured.model(), e.toString());
            d = Optional.empty();
        }
        d.filter(x -> x.window() > 0).ifPresent(x -> found = x);
        ModelServer.Discovered seen = found;
        if (seen != null && (before == null || before.window() != seen.window())) {
            LOG.infof("Model %s: %s serves a %d-token window (configured %d%s; %s); requests are sized for %d "
                    + "tokens (asked on %s)", configured.model(), seen.server(), seen.window(), configured.contextWindow(),
                    seen.trainedWindow() > 0 ? ", trained " + seen.trainedWindow() : "", seen.detail(), currentWindow.getAsInt(),
                    why);
        } else if (before == null && seen == null && why.equals("first use") && server != ModelServer.NONE) {
            LOG.infof("Model %s: its server reports no window; using the configured %d tokens", configured.model(),
                    configured.contextWindow());
        }
    }
}
