package dev.precis.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Values the API server accepts for the usual enum fields of built-in kinds, which Kubernetes'
 * published OpenAPI leaves as plain strings, and a CronJob's time zone, which it checks against
 * the IANA database.
 */
final class Enums {

    private static final Map<String, Set<String>> BY_FIELD = Map.ofEntries(
            Map.entry("restartPolicy", Set.of("Always", "OnFailure", "Never")),
            Map.entry("imagePullPolicy", Set.of("Always", "IfNotPresent", "Never")),
            Map.entry("protocol", Set.of("TCP", "UDP", "SCTP")),
            Map.entry("concurrencyPolicy", Set.of("Allow", "Forbid", "Replace")),
            Map.entry("completionMode", Set.of("NonIndexed", "Indexed")),
            Map.entry("podReplacementPolicy", Set.of("TerminatingOrFailed", "Failed")),
            Map.entry("policyTypes", Set.of("Ingress", "Egress")),
            Map.entry("terminationMessagePolicy", Set.of("File", "FallbackToLogsOnError")),
            Map.entry("operator", Set.of("In", "NotIn", "Exists", "DoesNotExist", "Equal")),
            Map.entry("action", Set.of("FailJob", "FailIndex", "Ignore", "Count")),
            Map.entry("unhealthyPodEvictionPolicy", Set.of("IfHealthyBudget", "AlwaysAllow")));
    private static final Set<String> SECCOMP = Set.of("RuntimeDefault", "Unconfined", "Localhost");

    private Enums() {
    }

    /** Every enum value outside its set, with its path; empty when all are accepted. */
    static List<String> check(JsonNode doc) {
        List<String> problems = new ArrayList<>();
        if (doc.path("apiVersion").asText().contains(".") && !doc.path("apiVersion").asText().contains("k8s.io")) {
            return problems; // a custom resource: its own schema has its enums
        }
        walk(doc, "", problems);
        return problems;
    }

    private static void walk(JsonNode node, String path, List<String> problems) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", problems);
            }
            return;
        }
        node.properties().forEach(e -> {
            String at = path + "." + e.getKey();
            JsonNode v = e.getValue();
            Set<String> allowed = BY_FIELD.get(e.getKey());
            if (allowed != null) {
                for (JsonNode item : v.isArray() ? v : List.of(v)) {
                    if (item.isTextual() && !allowed.contains(item.asText())) {
                        problems.add(at + ": '" + item.asText() + "' is not one of " + allowed);
                    }
                }
            }
            if (path.endsWith(".seccompProfile") && e.getKey().equals("type") && !SECCOMP.contains(v.asText())) {
                problems.add(at + ": '" + v.asText() + "' is not one of " + SECCOMP);
            }
            if (e.getKey().equals("timeZone")) {
                try {
                    ZoneId.of(v.asText());
                } catch (DateTimeException ex) {
                    problems.add(at + ": '" + v.asText() + "' is not a time zone of the IANA database");
                }
            }
            if (v.isContainerNode()) {
                walk(v, at, problems);
            }
        });
    }
}
