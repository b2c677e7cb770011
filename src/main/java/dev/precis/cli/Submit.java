package dev.precis.cli;

import dev.precis.ingest.DocumentParser;
import dev.precis.ingest.ParseResult;
import dev.precis.publish.IdempotencyKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Sends documents to the input topic and follows each to its result or dead letter, with progress.
 * A document that already has a SUMMARIZED result with the same idempotency key (same id, text and
 * options; any model unless --model is given) is skipped, so a second run sends only what is left.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Submit a folder of files or JSONL files and wait until every document has a result or dead letter.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every document was summarized", "3:some failed or were dead-lettered",
            "4:the wait ended before every document had a result", "1:the run could not start"})
final class Submit implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Folders (every file is a document) or JSONL files.")
    List<Path> paths;

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Option(names = "--max-summary-tokens", defaultValue = "200",
            description = "Summary length for documents that do not give one (default: ${DEFAULT-VALUE}, as the worker).")
    int maxSummaryTokens;

    @Option(names = "--target-language", description = "Translate the summaries to this language (BCP 47 tag).")
    String targetLanguage;

    @Option(names = "--model", description = "The configured model name to use; also makes resuming match that model only.")
    String model;

    @Option(names = "--timeout", defaultValue = "PT24H", description = "Longest wait for results (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--no-wait", description = "Send and return without waiting for results.")
    boolean noWait;

    @Override
    public Integer call() throws Exception {
        Inputs.Options options = new Inputs.Options(maxSummaryTokens, targetLanguage, model);
        List<Inputs.Input> inputs = new ArrayList<>();
        for (Path path : paths) {
            inputs.addAll(Inputs.read(path, options));
        }
        // The worker's parser, without its limits (the worker enforces those): what key will the result carry?
        DocumentParser parser = new DocumentParser(Integer.MAX_VALUE, maxSummaryTokens, Integer.MAX_VALUE);
        Map<String, String> expected = new HashMap<>();
        for (Inputs.Input input : inputs) {
            if (parser.parse(input.id().getBytes(StandardCharsets.UTF_8), input.value(), input.json())
                    instanceof ParseResult.Accepted a) {
                expected.put(input.id(), IdempotencyKey.contentPart(a.document()) + IdempotencyKey.PIPELINE_VERSION + "/"
                        + (model == null ? "" : model));
            }
        }
        Map<String, Object> client = kafka.clientConfig();
        try (OutcomeReader fates = new OutcomeReader(client, kafka.resultsTopic, kafka.deadLetterTopic)) {
            Set<String> done = fates.summarizedSoFar();
            List<Inputs.Input> pending = inputs.stream().filter(i -> !alreadyDone(expected.get(i.id()), done)).toList();
            Progress progress = new Progress(inputs.size(), inputs.size() - pending.size(), spec.commandLine().getErr());
            send(client, pending, progress);
            if (noWait) {
                progress.finish();
                return 0;
            }
            return follow(fates, pending, expected, progress);
        }
    }

    private boolean alreadyDone(String key, Set<String> done) {
        if (key == null) {
            return false;
        }
        // Without --model the key ends before the model, and any model's result for the same content counts.
        return done.contains(key);
    }

    private void send(Map<String, Object> client, List<Inputs.Input> pending, Progress progress) throws Exception {
        Map<String, Object> props = new HashMap<>(client);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (Inputs.Input input : pending) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(kafka.inputTopic,
                        input.id().getBytes(StandardCharsets.UTF_8), input.value());
                if (input.json()) {
                    record.headers().add(DocumentParser.CONTENT_TYPE, DocumentParser.JSON_TYPE.getBytes(StandardCharsets.UTF_8));
                }
                producer.send(record, (meta, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            } else {
                                progress.sent();
                            }
                        });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("Could not write to " + kafka.inputTopic + ": " + failure.get(), failure.get());
        }
    }

    private int follow(OutcomeReader fates, List<Inputs.Input> pending, Map<String, String> expected, Progress progress)
            throws InterruptedException {
        Map<String, String> waiting = new HashMap<>();
        Map<String, String> where = new HashMap<>();
        pending.forEach(i -> {
            waiting.put(i.id(), expected.getOrDefault(i.id(), ""));
            where.put(i.id(), i.where().equals(i.id()) ? i.id() : i.where() + " (id " + i.id() + ")");
        });
        AtomicInteger failed = new AtomicInteger();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!waiting.isEmpty() && System.nanoTime() < deadline) {
            for (OutcomeReader.Fate fate : fates.next(Duration.ofMillis(500))) {
                String key = waiting.get(fate.id());
                if (key == null) {
                    continue;
                }
                if (fate.idempotencyKey() != null && !fate.idempotencyKey().startsWith(key)) {
                    continue; // another version of the same id
                }
                waiting.remove(fate.id());
                if ("SUMMARIZED".equals(fate.status())) {
                    progress.summarized();
                } else {
                    failed.incrementAndGet();
                    progress.failed(where.get(fate.id()), fate.status() + (fate.reason() == null ? "" : " " + fate.reason()));
                }
            }
            progress.show();
        }
        progress.finish();
        if (!waiting.isEmpty()) {
            spec.commandLine().getErr().printf("%d documents have no result yet, for example %s%n", waiting.size(),
                    waiting.keySet().stream().limit(5).toList());
            return 4;
        }
        return failed.get() > 0 ? 3 : 0;
    }
}
