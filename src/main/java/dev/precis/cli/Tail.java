package dev.precis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Writes results to files as they are published: ID.md with the summary (and its translation) and
 * ID.json with the whole result. An id's slashes make folders; nothing is written outside --out.
 */
@Command(name = "tail", mixinStandardHelpOptions = true, description = "Write results to files as they are published.")
final class Tail implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--out"}, required = true, description = "The folder to write to.")
    Path out;

    @Option(names = "--from-beginning", description = "Also write the results the topic already holds.")
    boolean fromBeginning;

    @Option(names = "--until-idle", description = "Stop after this long without a new result (ISO-8601, e.g. PT10S); "
            + "without it, run until interrupted.")
    Duration untilIdle;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> props = new HashMap<>(kafka.clientConfig());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "precis-tail-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Path root = out.toAbsolutePath().normalize();
        Files.createDirectories(root);
        int written = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(kafka.resultsTopic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            long idleSince = System.nanoTime();
            while (untilIdle == null || System.nanoTime() - idleSince < untilIdle.toNanos()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key() != null && r.value() != null && write(root, r, spec.commandLine().getErr())) {
                        written++;
                        idleSince = System.nanoTime();
                    }
                }
            }
        }
        spec.commandLine().getErr().printf("%d results written to %s%n", written, root);
        return 0;
    }

    private static boolean write(Path root, ConsumerRecord<byte[], byte[]> r, PrintWriter err) throws IOException {
        String id = new String(r.key(), StandardCharsets.UTF_8);
        Path base = root.resolve(id.replace('\\', '/')).normalize();
        if (!base.startsWith(root) || base.equals(root)) {
            err.printf("skipped result %s: its id would write outside %s%n", id, root);
            return false;
        }
        Files.createDirectories(base.getParent());
        Files.write(Path.of(base + ".json"), r.value());
        JsonNode result = JSON.readTree(r.value());
        StringBuilder md = new StringBuilder();
        if (result.hasNonNull("summary")) {
            md.append(result.get("summary").asText()).append('\n');
        } else {
            md.append("(no summary: ").append(result.path("status").asText()).append(", ")
                    .append(result.path("error").asText("")).append(")\n");
        }
        JsonNode translation = result.path("translation");
        if (translation.hasNonNull("text")) {
            md.append("\n---\n\n").append(translation.get("text").asText()).append('\n');
        }
        Files.writeString(Path.of(base + ".md"), md);
        return true;
    }
}
