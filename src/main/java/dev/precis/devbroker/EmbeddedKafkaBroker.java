package dev.precis.devbroker;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running in this JVM. For
 * the embedded default and for tests; not for production.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    /** How the client listener is set up: plain text unless told otherwise. */
    public interface Listeners {
        Listeners PLAINTEXT = (props, clientPort, controllerPort) -> {
            props.put("listeners", "PLAINTEXT://localhost:" + clientPort + ",CONTROLLER://localhost:" + controllerPort);
            props.put("advertised.listeners", "PLAINTEXT://localhost:" + clientPort);
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            props.put("inter.broker.listener.name", "PLAINTEXT");
        };

        /** Sets the listener properties for the client and controller ports. */
        void configure(Properties props, int clientPort, int controllerPort) throws IOException;

        /** SCRAM credentials the log directory is formatted with (kafka-storage's {@code --add-scram}). */
        default List<String> scramArguments() {
            return List.of();
        }
    }

    /**
     * What to start: {@code port} 0 picks a free one; {@code dataDir} null is a fresh temporary
     * directory deleted on close, else the caller's, formatted on first use and kept; {@code settings}
     * broker settings that replace this class's (a stock broker's behaviour, a feature turned off).
     */
    public record Options(int port, int partitions, Listeners listeners, Path dataDir, Map<String, String> settings) {
        public Options(int port, int partitions, Listeners listeners, Path dataDir) {
            this(port, partitions, listeners, dataDir, Map.of());
        }
    }

    private final Path logDir;
    private final boolean ownsLogDir;
    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private EmbeddedKafkaBroker(Path logDir, boolean ownsLogDir, KafkaRaftServer server, String bootstrapServers) {
        this.logDir = logDir;
        this.ownsLogDir = ownsLogDir;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /** Formats a new log directory and starts a plain-text broker on {@code port} (0 picks a free one). */
    public static EmbeddedKafkaBroker start(int port, int partitions) {
        return start(new Options(port, partitions, Listeners.PLAINTEXT, null));
    }

    public static EmbeddedKafkaBroker start(Options options) {
        try {
            int brokerPort = options.port() == 0 ? freePort() : options.port();
            int controllerPort = freePort();
            Path dir = options.dataDir() != null ? options.dataDir() : Files.createTempDirectory("precis-kafka-");
            Properties props = new Properties();
            props.put("process.roles", "broker,controller");
            props.put("node.id", "1");
            props.put("controller.quorum.voters", "1@localhost:" + controllerPort);
            props.put("controller.listener.names", "CONTROLLER");
            options.listeners().configure(props, brokerPort, controllerPort);
            props.put("log.dirs", dir.toString());
            props.put("num.partitions", Integer.toString(options.partitions()));
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", "5");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("share.coordinator.state.topic.replication.factor", "1");
            props.put("share.coordinator.state.topic.min.isr", "1");
            props.put("group.initial.rebalance.delay.ms", "0");
            props.put("auto.create.topics.enable", "true");
            // Large documents are the point of précis: accept records up to 32 MiB.
            props.put("message.max.bytes", Integer.toString(32 * 1024 * 1024));
            props.putAll(options.settings());
            KafkaConfig config = KafkaConfig.fromProps(props, false);
            if (!Files.exists(dir.resolve("meta.properties"))) {
                format(dir, options.listeners().scramArguments());
            }
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            return new EmbeddedKafkaBroker(dir, options.dataDir() == null, server, "localhost:" + brokerPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void format(Path dir, List<String> scram) {
        try (PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream())) {
            Formatter formatter = new Formatter();
            if (!scram.isEmpty()) {
                formatter.setScramArguments(scram);
            }
            formatter
                    .setPrintStream(quiet)
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(dir.toString())
                    .addDirectory(dir.toString())
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Could not format the embedded Kafka log directory " + dir, e);
        }
    }

    /** Host and port for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Stops the broker; a temporary log directory is deleted, a caller's is kept. */
    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (!ownsLogDir) {
            return;
        }
        try (Stream<Path> files = Files.walk(logDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Only a temporary directory is left behind.
        }
    }

    /** A port free at the time of asking. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
