package dev.precis.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The schemas operators and Kubernetes publish, read unchanged from a folder: every
 * CustomResourceDefinition under {@code crds/} (each served version) and Kubernetes' own OpenAPI v3
 * documents under {@code schemas/k8s-VERSION/}. Each becomes a JSON Schema that refuses what the
 * API server would prune or refuse: an object with declared properties admits no other field, and
 * int-or-string and quantity fields take either.
 */
final class PublishedSchemas {

    private static final String OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final Map<String, JsonSchema> byType = new HashMap<>();
    private final List<String> sources = new ArrayList<>();
    private JsonSchema objectMeta;

    /** Loads every schema below {@code dir}. */
    PublishedSchemas(Path dir) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ObjectMapper json = new ObjectMapper();
        for (Path file : files(dir.resolve("crds"), ".yaml")) {
            try (var parser = yaml.getFactory().createParser(file.toFile())) {
                yaml.readValues(parser, JsonNode.class).forEachRemaining(this::crd);
            }
        }
        sources.add(names(dir.resolve("crds")));
        for (Path file : files(dir.resolve("schemas"), ".json")) {
            builtIn(json.readTree(file.toFile()));
        }
        sources.add(names(dir.resolve("schemas")));
        if (objectMeta == null || byType.isEmpty()) {
            throw new IOException("No schemas found below " + dir);
        }
    }

    /** The schema of {@code apiVersion/kind}, if one was published. */
    Optional<JsonSchema> of(String apiVersionAndKind) {
        return Optional.ofNullable(byType.get(apiVersionAndKind));
    }

    /** The schema of Kubernetes' ObjectMeta, which a CRD's own schema leaves open. */
    JsonSchema objectMeta() {
        return objectMeta;
    }

    /** Which folders were read, for the report. */
    String sources() {
        return String.join(", ", sources) + " (" + byType.size() + " kinds)";
    }

    private void crd(JsonNode doc) {
        if (doc == null || !doc.path("kind").asText().equals("CustomResourceDefinition")) {
            return;
        }
        String group = doc.path("spec").path("group").asText();
        String kind = doc.path("spec").path("names").path("kind").asText();
        for (JsonNode version : doc.path("spec").path("versions")) {
            if (version.path("served").asBoolean(false)) {
                JsonNode schema = strict(version.path("schema").path("openAPIV3Schema").deepCopy());
                byType.put(group + "/" + version.path("name").asText() + "/" + kind, factory.getSchema(schema));
            }
        }
    }

    private void builtIn(JsonNode openApi) {
        JsonNode components = openApi.path("components").path("schemas");
        if (!components.isObject()) {
            return;
        }
        ObjectNode defs = (ObjectNode) strict(components.deepCopy());
        components.fields().forEachRemaining(e -> {
            for (JsonNode gvk : e.getValue().path("x-kubernetes-group-version-kind")) {
                String group = gvk.path("group").asText();
                String type = (group.isEmpty() ? "" : group + "/") + gvk.path("version").asText() + "/"
                        + gvk.path("kind").asText();
                byType.putIfAbsent(type, factory.getSchema(root(defs, e.getKey())));
            }
        });
        if (objectMeta == null && defs.has(OBJECT_META)) {
            objectMeta = factory.getSchema(root(defs, OBJECT_META));
        }
    }

    private static ObjectNode root(ObjectNode defs, String name) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("$defs", defs);
        root.put("$ref", "#/$defs/" + name);
        return root;
    }

    /** Rewrites an OpenAPI schema (in place) into a strict JSON Schema. */
    static JsonNode strict(JsonNode node) {
        if (node instanceof ArrayNode array) {
            array.forEach(PublishedSchemas::strict);
            return node;
        }
        if (!(node instanceof ObjectNode o)) {
            return node;
        }
        if (o.has("$ref")) {
            o.put("$ref", o.path("$ref").asText().replace("#/components/schemas/", "#/$defs/"));
        }
        boolean intOrString = o.path("x-kubernetes-int-or-string").asBoolean(false)
                || o.path("format").asText().equals("int-or-string");
        boolean quantity = o.path("format").asText().equals("quantity")
                || o.path("description").asText().startsWith("Quantity is a fixed-point representation");
        boolean open = o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        List<String> drop = new ArrayList<>();
        for (Iterator<String> it = o.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (key.equals("description") || key.equals("format") || key.equals("nullable") || key.equals("example")
                    || key.startsWith("x-kubernetes-")) {
                drop.add(key);
            }
        }
        o.remove(drop);
        if (intOrString || quantity) {
            o.remove("type");
            o.set("anyOf", JsonNodeFactory.instance.arrayNode().add(type(intOrString ? "integer" : "number"))
                    .add(type("string")));
        }
        boolean object = o.path("type").asText().equals("object");
        if (object && o.has("properties") && !o.has("additionalProperties") && !open) {
            o.put("additionalProperties", false);
        }
        o.properties().forEach(e -> {
            if (e.getKey().equals("properties") || e.getKey().equals("$defs")) {
                e.getValue().forEach(PublishedSchemas::strict);
            } else if (!e.getKey().equals("enum") && !e.getKey().equals("default") && !e.getKey().equals("required")) {
                strict(e.getValue());
            }
        });
        return o;
    }

    private static ObjectNode type(String name) {
        return JsonNodeFactory.instance.objectNode().put("type", name);
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(suffix) && !p.toString().contains("/.cache/")).sorted().toList();
        }
    }

    private static String names(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return dir + " (missing)";
        }
        try (Stream<Path> list = Files.list(dir)) {
            return String.join(" ", list.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
