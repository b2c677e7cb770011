package dev.precis.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/** Where the topics are: the same names and defaults as the worker's. */
final class KafkaOptions {

    @Option(names = {"-b", "--bootstrap-servers"}, defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS or ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--config", description = "A properties file of further Kafka client settings (security, TLS).")
    Path config;

    @Option(names = "--input-topic", defaultValue = "documents", description = "Default: ${DEFAULT-VALUE}.")
    String inputTopic;

    @Option(names = "--results-topic", defaultValue = "summaries", description = "Default: ${DEFAULT-VALUE}.")
    String resultsTopic;

    @Option(names = "--dead-letter-topic", defaultValue = "documents.dlq", description = "Default: ${DEFAULT-VALUE}.")
    String deadLetterTopic;

    Map<String, Object> clientConfig() throws IOException {
        Map<String, Object> out = new HashMap<>();
        if (config != null) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(config)) {
                p.load(in);
            }
            p.forEach((k, v) -> out.put(k.toString(), v));
        }
        out.put("bootstrap.servers", bootstrapServers);
        return out;
    }
}
