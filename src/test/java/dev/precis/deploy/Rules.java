package dev.precis.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.precis.config.PrecisConfig;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The fields précis's manifests must carry, and the rules that tie its objects together. */
final class Rules {

    private Rules() {
    }

    static List<String> required(JsonNode doc) {
        List<String> p = new ArrayList<>();
        JsonNode spec = doc.path("spec");
        switch (doc.path("kind").asText()) {
            case "Deployment" -> {
                JsonNode selector = spec.path("selector").path("matchLabels");
                JsonNode labels = spec.path("template").path("metadata").path("labels");
                selector.fieldNames().forEachRemaining(k -> {
                    if (!selector.path(k).equals(labels.path(k))) {
                        p.add("selector label " + k + " is not on the pod template");
                    }
                });
                if (selector.isEmpty()) {
                    p.add("spec.selector.matchLabels is required");
                }
                pod(spec.path("template").path("spec"), true, p);
            }
            case "CronJob" -> {
                if (spec.path("schedule").asText().isBlank()) {
                    p.add("spec.schedule is required");
                }
                pod(spec.path("jobTemplate").path("spec").path("template").path("spec"), false, p);
            }
            case "Service" -> {
                if (spec.path("ports").isEmpty()) {
                    p.add("spec.ports is required");
                }
            }
            case "PodDisruptionBudget" -> {
                if (spec.path("maxUnavailable").asInt(-1) != 1) {
                    p.add("spec.maxUnavailable must be 1");
                }
            }
            case "NetworkPolicy" -> {
                if (spec.path("podSelector").isMissingNode()) {
                    p.add("spec.podSelector is required");
                }
            }
            default -> {
            }
        }
        return p;
    }

    private static void pod(JsonNode pod, boolean probes, List<String> p) {
        if (!pod.path("securityContext").path("runAsNonRoot").asBoolean()) {
            p.add("pod must run as non-root");
        }
        if (pod.path("containers").isEmpty()) {
            p.add("at least one container is required");
        }
        long grace = shutdownGraceSeconds(pod);
        if (pod.path("terminationGracePeriodSeconds").asLong(30) < grace + 10) {
            p.add("terminationGracePeriodSeconds must exceed the worker's shutdown grace (" + grace
                    + " s) by at least 10 s for the final commit");
        }
        for (JsonNode c : pod.path("containers")) {
            String name = c.path("name").asText();
            if (name.isBlank() || c.path("image").asText().isBlank()) {
                p.add("container name and image are required");
            }
            JsonNode sc = c.path("securityContext");
            if (!sc.path("readOnlyRootFilesystem").asBoolean() || sc.path("allowPrivilegeEscalation").asBoolean(true)
                    || !sc.path("capabilities").path("drop").toString().contains("\"ALL\"")) {
                p.add("container " + name + " needs a read-only root, no privilege escalation and all capabilities dropped");
            }
            if (c.path("resources").path("requests").isEmpty() || c.path("resources").path("limits").isEmpty()) {
                p.add("container " + name + " needs resource requests and limits");
            }
            if (probes && (c.path("livenessProbe").isMissingNode() || c.path("readinessProbe").isMissingNode()
                    || c.path("startupProbe").isMissingNode())) {
                p.add("container " + name + " needs startup, liveness and readiness probes");
            }
            if (!c.path("volumeMounts").toString().contains("\"/tmp\"")) {
                p.add("container " + name + " needs a writable /tmp (emptyDir)");
            }
            if (c.toString().matches("(?s).*\"name\":\"(OPENAI_API_KEY|KAFKA_SASL_JAAS_CONFIG)\",\"value\".*")) {
                p.add("container " + name + " has a secret inline; use a secretKeyRef");
            }
        }
    }

    /** PRECIS_SHUTDOWN_GRACE of the pod's containers, else the worker's default. */
    private static long shutdownGraceSeconds(JsonNode pod) {
        String value = null;
        try {
            value = PrecisConfig.class.getMethod("shutdownGrace").getAnnotation(WithDefault.class).value();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        for (JsonNode c : pod.path("containers")) {
            for (JsonNode env : c.path("env")) {
                if (env.path("name").asText().equals("PRECIS_SHUTDOWN_GRACE")) {
                    value = env.path("value").asText();
                }
            }
        }
        return Duration.parse("PT" + value.toUpperCase(java.util.Locale.ROOT)).toSeconds();
    }

    static List<String> across(List<JsonNode> docs) {
        List<String> p = new ArrayList<>();
        String group = null;
        int partitions = Integer.MAX_VALUE;
        List<String> deployments = new ArrayList<>();
        for (JsonNode d : docs) {
            switch (d.path("kind").asText()) {
                case "ConfigMap" -> {
                    if (d.path("data").has("MP_MESSAGING_INCOMING_DOCUMENTS_GROUP_ID")) {
                        group = d.path("data").path("MP_MESSAGING_INCOMING_DOCUMENTS_GROUP_ID").asText();
                    }
                }
                case "KafkaTopic" -> {
                    if (d.path("spec").path("topicName").asText(d.path("metadata").path("name").asText()).equals("documents")) {
                        partitions = d.path("spec").path("partitions").asInt();
                    }
                }
                case "Deployment" -> deployments.add(d.path("metadata").path("name").asText());
                default -> {
                }
            }
        }
        for (JsonNode d : docs) {
            if (!d.path("kind").asText().equals("ScaledObject")) {
                continue;
            }
            JsonNode spec = d.path("spec");
            if (!deployments.contains(spec.path("scaleTargetRef").path("name").asText())) {
                p.add("ScaledObject targets a Deployment that is not in the manifests");
            }
            if (spec.path("maxReplicaCount").asInt() > partitions) {
                p.add("ScaledObject maxReplicaCount " + spec.path("maxReplicaCount").asInt() + " exceeds the "
                        + partitions + " partitions of the input topic");
            }
            for (JsonNode t : spec.path("triggers")) {
                if (group != null && !t.path("metadata").path("consumerGroup").asText().equals(group)) {
                    p.add("ScaledObject consumerGroup differs from the worker's group.id " + group);
                }
            }
        }
        return p;
    }
}
