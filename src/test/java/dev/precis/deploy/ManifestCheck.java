package dev.precis.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Strict check of rendered Kubernetes manifests: every object against the schema its operator or
 * Kubernetes publishes (unknown versions, kinds and fields fail), plus the fields and cross-object
 * rules précis depends on. Run by {@code .ci/run} on every overlay:
 * {@code ManifestCheck [--schemas=DIR] FILE...}; exits 1 listing every problem. Without the schema
 * folder only précis's own rules run, and it says so.
 */
public final class ManifestCheck {

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    private final Optional<PublishedSchemas> schemas;

    /** {@code schemas}: the published schemas, or empty to check précis's own rules only. */
    ManifestCheck(Optional<PublishedSchemas> schemas) {
        this.schemas = schemas;
    }

    public static void main(String[] args) throws IOException {
        List<String> files = new ArrayList<>();
        Optional<PublishedSchemas> schemas = Optional.empty();
        for (String arg : args) {
            if (!arg.startsWith("--schemas=")) {
                files.add(arg);
                continue;
            }
            Path dir = Path.of(arg.substring("--schemas=".length()));
            if (Files.isDirectory(dir)) {
                schemas = Optional.of(new PublishedSchemas(dir));
                System.out.println("Validating against the published schemas in " + dir + ": "
                        + schemas.get().sources());
            } else {
                System.out.println("SKIPPED: no published schemas at " + dir + "; the manifests are NOT validated "
                        + "against the Strimzi, KEDA, Prometheus Operator and Kubernetes schemas, only précis's own rules");
            }
        }
        ManifestCheck check = new ManifestCheck(schemas);
        List<String> problems = new ArrayList<>();
        for (String file : files) {
            List<String> found = check.check(Files.readString(Path.of(file)));
            found.forEach(p -> problems.add(file + ": " + p));
            System.out.println(file + ": " + (found.isEmpty() ? "valid" : found.size() + " problems"));
        }
        problems.forEach(System.err::println);
        if (!problems.isEmpty()) {
            System.exit(1);
        }
    }

    /** Every problem found in one multi-document YAML text; empty when it is valid. */
    public List<String> check(String multiDocument) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = yaml.getFactory().createParser(multiDocument)) {
            yaml.readValues(parser, JsonNode.class).forEachRemaining(n -> {
                if (n != null && !n.isNull() && !n.isEmpty()) {
                    docs.add(n);
                }
            });
        }
        List<String> problems = new ArrayList<>();
        for (JsonNode doc : docs) {
            String type = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
            String where = type + " " + doc.path("metadata").path("name").asText("(no name)");
            if (doc.path("metadata").path("name").asText().isBlank()) {
                problems.add(where + ": metadata.name is required");
            }
            schemas.ifPresent(s -> problems.addAll(published(s, type, doc).stream().map(p -> where + ": " + p).toList()));
            problems.addAll(Rules.required(doc).stream().map(p -> where + ": " + p).toList());
            problems.addAll(Enums.check(doc).stream().map(p -> where + ": " + p).toList());
        }
        problems.addAll(Rules.across(docs));
        problems.addAll(KafkaRules.check(docs));
        return problems;
    }

    private static List<String> published(PublishedSchemas schemas, String type, JsonNode doc) {
        var schema = schemas.of(type);
        if (schema.isEmpty()) {
            return List.of("unknown API version or kind (no published schema serves " + type + ")");
        }
        List<String> problems = new ArrayList<>();
        schema.get().validate(doc).forEach(m -> problems.add(m.getMessage()));
        schemas.objectMeta().validate(doc.path("metadata")).forEach(m -> problems.add("metadata: " + m.getMessage()));
        return problems;
    }
}
