package dev.precis.support;

import dev.precis.devbroker.EmbeddedKafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Test resource: a real broker whose client listener is SASL_SSL with SCRAM-SHA-512 and a
 * self-signed certificate made with the JDK's keytool. The worker gets the user's password from
 * the {@code password} init argument, so a test can hand it the wrong one.
 */
public class SecureKafka implements QuarkusTestResourceLifecycleManager {

    public static final String USER = "precis";
    public static final String PASSWORD = "s3cret-scram-password";
    private static final String STORE_PASSWORD = "changeit";

    private static EmbeddedKafkaBroker broker;
    private static Path trustStore;
    private String workerPassword = PASSWORD;

    @Override
    public void init(Map<String, String> args) {
        workerPassword = args.getOrDefault("password", PASSWORD);
    }

    @Override
    public synchronized Map<String, String> start() {
        if (broker == null) {
            try {
                Path dir = Files.createTempDirectory("precis-tls");
                Path keyStore = dir.resolve("broker.p12");
                trustStore = dir.resolve("trust.p12");
                keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                        "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
                Path cert = dir.resolve("broker.crt");
                keytool("-exportcert", "-alias", "broker", "-keystore", keyStore.toString(), "-storepass",
                        STORE_PASSWORD, "-file", cert.toString());
                keytool("-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(), "-keystore",
                        trustStore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
                broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Options(0, 3, listeners(keyStore), null));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("Could not start the secured broker", e);
            }
        }
        Map<String, String> config = new HashMap<>();
        clientSettings(workerPassword).forEach((k, v) -> config.put("kafka." + k, v.toString()));
        config.put("kafka.bootstrap.servers", broker.bootstrapServers());
        config.put("precis.summarizer", "extractive");
        return config;
    }

    /**
     * The client listener as SASL_SSL with SCRAM-SHA-512 and this resource's user; brokers talk to
     * each other on a plain internal listener.
     */
    private static EmbeddedKafkaBroker.Listeners listeners(Path keyStore) {
        return new EmbeddedKafkaBroker.Listeners() {
            @Override
            public void configure(Properties props, int clientPort, int controllerPort) throws IOException {
                int internalPort = EmbeddedKafkaBroker.freePort();
                props.put("listeners", "SASL_SSL://localhost:" + clientPort + ",BROKER://localhost:" + internalPort
                        + ",CONTROLLER://localhost:" + controllerPort);
                props.put("advertised.listeners", "SASL_SSL://localhost:" + clientPort + ",BROKER://localhost:"
                        + internalPort);
                props.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT");
                props.put("inter.broker.listener.name", "BROKER");
                props.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
                props.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
                props.put("ssl.keystore.location", keyStore.toString());
                props.put("ssl.keystore.password", STORE_PASSWORD);
                props.put("ssl.key.password", STORE_PASSWORD);
                props.put("ssl.keystore.type", "PKCS12");
            }

            @Override
            public List<String> scramArguments() {
                return List.of("SCRAM-SHA-512=[name=" + USER + ",password=" + PASSWORD + "]");
            }
        };
    }

    public static synchronized String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Client settings for SASL_SSL/SCRAM against this broker. */
    public static Properties clientSettings(String password) {
        Properties p = new Properties();
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", "SCRAM-SHA-512");
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + USER + "\" password=\"" + password + "\";");
        p.put("ssl.truststore.location", trustStore.toString());
        p.put("ssl.truststore.password", STORE_PASSWORD);
        p.put("ssl.truststore.type", "PKCS12");
        return p;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("keytool failed: " + out);
        }
    }

    @Override
    public void stop() {
        // Shared by the secured tests of this JVM.
    }
}
