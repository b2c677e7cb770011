package dev.precis.devbroker;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running in this JVM, on a
 * fresh temporary log directory. For the embedded default and for tests; not for production.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private final Path logDir;
    private final KafkaConfig config;
    private KafkaRaftServer server;
    private final String bootstrapServers;

    private EmbeddedKafkaBroker(Path logDir, KafkaRaftServer server, String bootstrapServers, KafkaConfig config) {
        this.logDir = logDir;
        this.config = config;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /** A SASL/SCRAM-SHA-512 user and the TLS key store of a secured client listener. */
    public record ScramTls(String username, String password, Path keyStore, String keyStorePassword) {
    }

    /** Formats a new log directory and starts a broker on {@code port} (0 picks a free one). */
    public static EmbeddedKafkaBroker start(int port, int partitions) {
        return start(port, partitions, null);
    }

    /**
     * Like {@link #start(int, int)}; with {@code secure} set, the client listener is SASL_SSL with
     * SCRAM-SHA-512 and the given user (brokers talk to each other on a plain internal listener).
     */
    public static EmbeddedKafkaBroker start(int port, int partitions, ScramTls secure) {
        try {
            int brokerPort = port == 0 ? freePort() : port;
            int controllerPort = freePort();
            Path dir = Files.createTempDirectory("precis-kafka-");
            Properties props = new Properties();
            props.put("process.roles", "broker,controller");
            props.put("node.id", "1");
            props.put("controller.quorum.voters", "1@localhost:" + controllerPort);
            props.put("controller.listener.names", "CONTROLLER");
            if (secure == null) {
                props.put("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
                props.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
                props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
                props.put("inter.broker.listener.name", "PLAINTEXT");
            } else {
                secureListener(props, brokerPort, controllerPort, secure);
            }
            props.put("log.dirs", dir.toString());
            props.put("num.partitions", Integer.toString(partitions));
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
            KafkaConfig config = KafkaConfig.fromProps(props, false);
            format(config, dir, secure);
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            return new EmbeddedKafkaBroker(dir, server, "localhost:" + brokerPort, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void secureListener(Properties props, int clientPort, int controllerPort, ScramTls secure)
            throws IOException {
        int internalPort = freePort();
        props.put("listeners", "SASL_SSL://localhost:" + clientPort + ",BROKER://localhost:" + internalPort
                + ",CONTROLLER://localhost:" + controllerPort);
        props.put("advertised.listeners", "SASL_SSL://localhost:" + clientPort + ",BROKER://localhost:" + internalPort);
        props.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("inter.broker.listener.name", "BROKER");
        props.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        props.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        props.put("ssl.keystore.location", secure.keyStore().toString());
        props.put("ssl.keystore.password", secure.keyStorePassword());
        props.put("ssl.key.password", secure.keyStorePassword());
        props.put("ssl.keystore.type", "PKCS12");
    }

    private static void format(KafkaConfig config, Path dir, ScramTls secure) {
        try (PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream())) {
            Formatter formatter = new Formatter();
            if (secure != null) {
                formatter.setScramArguments(java.util.List.of("SCRAM-SHA-512=[name=" + secure.username()
                        + ",password=" + secure.password() + "]"));
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

    /** Stops the broker, keeping its data, as an outage would (see {@link #restart()}). */
    public synchronized void stop() {
        server.shutdown();
        server.awaitShutdown();
    }

    /** Starts the stopped broker again on the same port with the same data. */
    public synchronized void restart() {
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        try (Stream<Path> files = Files.walk(logDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Only a temporary directory is left behind.
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
