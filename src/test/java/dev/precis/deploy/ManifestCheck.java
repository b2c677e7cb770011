package dev.precis.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Strict check of rendered Kubernetes manifests: known API versions and kinds only; core kinds are
 * read into the Kubernetes model classes of the fabric8 client and must leave no unknown field;
 * Strimzi and KEDA objects are checked against JSON Schemas that allow no unknown field; plus the
 * required fields and cross-object rules précis depends on. Run by {@code .ci/run} on every overlay:
 * {@code ManifestCheck FILE...}; exits 1 listing every problem.
 */
public final class ManifestCheck {

    private static final Map<String, Class<?>> CORE = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "batch/v1/CronJob", CronJob.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);
    private static final Map<String, String> CUSTOM = Map.of(
            "kafka.strimzi.io/v1beta2/KafkaTopic", "KafkaTopic",
            "keda.sh/v1alpha1/ScaledObject", "ScaledObject",
            "keda.sh/v1alpha1/TriggerAuthentication", "TriggerAuthentication");

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    private final ObjectMapper strict = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    public static void main(String[] args) throws IOException {
        ManifestCheck check = new ManifestCheck();
        List<String> problems = new ArrayList<>();
        for (String file : args) {
            problems.addAll(check.check(Files.readString(Path.of(file))).stream().map(p -> file + ": " + p).toList());
        }
        problems.forEach(System.err::println);
        System.out.println(problems.isEmpty() ? "manifests valid: " + String.join(", ", args) : problems.size() + " problems");
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
            if (CORE.containsKey(type)) {
                problems.addAll(core(doc, CORE.get(type)).stream().map(p -> where + ": " + p).toList());
                problems.addAll(Rules.required(doc).stream().map(p -> where + ": " + p).toList());
            } else if (CUSTOM.containsKey(type)) {
                schema(CUSTOM.get(type)).validate(doc).forEach(m -> problems.add(where + ": " + m.getMessage()));
            } else {
                problems.add(where + ": unknown API version or kind");
            }
        }
        problems.addAll(Rules.across(docs));
        return problems;
    }

    /** Reads the object into its model class and reports fields the class does not know. */
    private List<String> core(JsonNode doc, Class<?> type) {
        Object model;
        try {
            model = strict.treeToValue(doc, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return List.of("does not read as " + type.getSimpleName() + ": " + e.getOriginalMessage());
        }
        List<String> unknown = new ArrayList<>();
        walk(model, "", unknown, new IdentityHashMap<>());
        return unknown;
    }

    // The fabric8 model classes keep unknown fields in additionalProperties instead of failing.
    private static void walk(Object node, String path, List<String> unknown, Map<Object, Boolean> seen) {
        if (node == null || seen.put(node, true) != null) {
            return;
        }
        if (node instanceof Collection<?> c) {
            int i = 0;
            for (Object item : c) {
                walk(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "." + k, unknown, seen));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                ((Map<?, ?>) value).keySet().forEach(k -> unknown.add("unknown field " + path + "." + k));
            } else {
                String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
                walk(value, path + "." + field, unknown, seen);
            }
        }
    }

    private static JsonSchema schema(String name) {
        try (InputStream in = ManifestCheck.class.getClassLoader().getResourceAsStream("crd-schemas/" + name + ".json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Files below a directory, for tests. */
    static List<Path> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().equals("kustomization.yaml"))
                    .sorted().toList();
        }
    }
}
