package dev.precis.ops.stop;

import dev.precis.config.Messaging;
import dev.precis.config.PrecisConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

/**
 * SIGTERM: stop taking records, let the documents in flight finish within
 * {@code precis.shutdown-grace}, then let the Kafka connector commit and close. This runs before the
 * connector and the worker pool are shut down (they stop at bean destruction, after this event).
 */
@ApplicationScoped
public class GracefulStop {

    private static final Logger LOG = Logger.getLogger(GracefulStop.class);

    private final InFlight inFlight = new InFlight();

    @Produces
    @Singleton
    InFlight inFlight() {
        return inFlight;
    }

    void onStop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event, PrecisConfig config,
            Messaging messaging) throws InterruptedException {
        inFlight.close();
        int running = inFlight.count();
        if (running > 0) {
            awaitInFlight(config, running);
        }
        if (config.delivery() == PrecisConfig.Delivery.AT_LEAST_ONCE) {
            // The connector's own last commit on close can be cut short by the consumer's wake-up
            // (SRMSG18252 WakeupException); one more periodic commit of what is written makes the
            // stop independent of it.
            java.util.concurrent.locks.LockSupport.parkNanos((messaging.autoCommitIntervalMs() + 500) * 1_000_000);
        }
    }

    private void awaitInFlight(PrecisConfig config, int running) throws InterruptedException {
        LOG.infof("Stopping: no new records taken; waiting up to %s for %d documents in flight",
                config.shutdownGrace(), running);
        long start = System.nanoTime();
        int left = inFlight.awaitEmpty(config.shutdownGrace());
        if (left == 0) {
            LOG.infof("Stopping: documents in flight finished in %d ms", (System.nanoTime() - start) / 1_000_000);
        } else {
            LOG.warnf("Stopping: %d documents did not finish within %s; they will be redelivered", left,
                    config.shutdownGrace());
        }
    }
}
