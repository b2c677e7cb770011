package dev.precis.support;

import dev.precis.devbroker.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** An in-process broker that can go away and come back on the same port with the same data, as in an outage. */
public final class RestartableBroker implements AutoCloseable {

    private final EmbeddedKafkaBroker.Options options;
    private EmbeddedKafkaBroker running;

    public RestartableBroker(int partitions) {
        try {
            options = new EmbeddedKafkaBroker.Options(EmbeddedKafkaBroker.freePort(), partitions,
                    EmbeddedKafkaBroker.Listeners.PLAINTEXT, Files.createTempDirectory("precis-outage-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        running = EmbeddedKafkaBroker.start(options);
    }

    /** The broker now running (the same address after every restart). */
    public synchronized EmbeddedKafkaBroker broker() {
        return running;
    }

    /** Stops the broker, keeping its data. */
    public synchronized void stop() {
        running.close();
    }

    /** Starts it again on the same port with the same data. */
    public synchronized void restart() {
        running = EmbeddedKafkaBroker.start(options);
    }

    @Override
    public synchronized void close() {
        running.close();
        try (Stream<Path> files = Files.walk(options.dataDir())) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Only a temporary directory is left behind.
        }
    }
}
