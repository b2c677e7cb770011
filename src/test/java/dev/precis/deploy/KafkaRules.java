package dev.precis.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.precis.config.BatchApiConfig;
import dev.precis.config.Channels;
import dev.precis.config.PrecisConfig;
import io.smallrye.config.WithDefault;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What ties the worker to Kafka, KEDA and its identity: every topic the worker uses has a
 * KafkaTopic, its KafkaUser's ACLs allow what it needs, KEDA watches every topic the group reads
 * and can reach the brokers (an address that resolves from KEDA's own namespace, the cluster CA),
 * and pods run as a ServiceAccount that exists and mounts no token.
 */
final class KafkaRules {

    private KafkaRules() {
    }

    static List<String> check(List<JsonNode> docs) {
        List<String> p = new ArrayList<>();
        JsonNode data = docs.stream().filter(d -> kind(d, "ConfigMap") && d.path("data").has("KAFKA_BOOTSTRAP_SERVERS"))
                .map(d -> d.path("data")).findFirst().orElse(null);
        if (data == null) {
            return p;
        }
        String group = data.path("MP_MESSAGING_INCOMING_DOCUMENTS_GROUP_ID").asText("precis");
        // The worker reads its input and SmallRye's retry topics (named after the channel) in one group.
        Set<String> reads = new LinkedHashSet<>(List.of(data.path("MP_MESSAGING_INCOMING_DOCUMENTS_TOPIC").asText("documents")));
        for (String delay : List.of("10000", "20000", "50000")) {
            reads.add(Channels.DOCUMENTS + "_retry_" + delay);
        }
        Set<String> uses = new LinkedHashSet<>(reads);
        uses.add(data.path("MP_MESSAGING_OUTGOING_SUMMARIES_TOPIC").asText("summaries"));
        uses.add(data.path("PRECIS_DEAD_LETTER_TOPIC").asText("documents.dlq"));
        uses.add(defaultOf(PrecisConfig.PartialsConfig.class));
        uses.add(defaultOf(PrecisConfig.GroupBudgetConfig.class));
        if (data.path("PRECIS_MODELS_DEFAULT_BATCH_API").asText().equals("true")) {
            uses.add(defaultOf(BatchApiConfig.class));
        }
        List<JsonNode> topics = docs.stream().filter(d -> kind(d, "KafkaTopic")).toList();
        Set<String> declared = new LinkedHashSet<>();
        topics.forEach(t -> declared.add(t.path("spec").path("topicName").asText(t.path("metadata").path("name").asText())));
        if (!topics.isEmpty()) {
            uses.stream().filter(t -> !declared.contains(t)).forEach(t -> p.add("no KafkaTopic for " + t + ", which the worker uses"));
        }
        for (JsonNode user : docs.stream().filter(d -> kind(d, "KafkaUser")).toList()) {
            JsonNode acls = user.path("spec").path("authorization").path("acls");
            uses.stream().filter(t -> !allows(acls, "topic", t)).forEach(t -> p.add("KafkaUser "
                    + user.path("metadata").path("name").asText() + " has no ACL for the topic " + t));
            if (!allows(acls, "group", group)) {
                p.add("KafkaUser " + user.path("metadata").path("name").asText() + " has no ACL for the group " + group);
            }
        }
        for (JsonNode scaled : docs.stream().filter(d -> kind(d, "ScaledObject")).toList()) {
            Set<String> watched = new LinkedHashSet<>();
            for (JsonNode t : scaled.path("spec").path("triggers")) {
                JsonNode m = t.path("metadata");
                watched.add(m.path("topic").asText());
                if (!m.path("bootstrapServers").asText().contains(".svc")) {
                    p.add("ScaledObject bootstrapServers " + m.path("bootstrapServers").asText() + " does not resolve from "
                            + "KEDA's namespace; use the service's full name (NAME.NAMESPACE.svc:PORT)");
                }
                String auth = t.path("authenticationRef").path("name").asText();
                if (docs.stream().noneMatch(d -> kind(d, "TriggerAuthentication") && named(d, auth) && param(d, "ca"))) {
                    p.add("ScaledObject trigger uses TriggerAuthentication " + auth + ", which is missing or passes no ca "
                            + "(the brokers' TLS certificates are signed by the cluster's own CA)");
                }
            }
            reads.stream().filter(t -> !watched.contains(t)).forEach(t -> p.add("ScaledObject does not watch the lag of "
                    + t + ", which the group reads"));
        }
        serviceAccounts(docs, p);
        return p;
    }

    private static void serviceAccounts(List<JsonNode> docs, List<String> p) {
        for (JsonNode d : docs) {
            JsonNode pod = switch (d.path("kind").asText()) {
                case "Deployment" -> d.path("spec").path("template").path("spec");
                case "CronJob" -> d.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
                default -> null;
            };
            if (pod == null) {
                continue;
            }
            String account = pod.path("serviceAccountName").asText();
            if (account.isEmpty() || docs.stream().noneMatch(a -> kind(a, "ServiceAccount") && named(a, account)
                    && !a.path("automountServiceAccountToken").asBoolean(true))) {
                p.add(d.path("kind").asText() + " " + d.path("metadata").path("name").asText()
                        + " must name a ServiceAccount of the manifests that mounts no token");
            }
        }
    }

    private static boolean allows(JsonNode acls, String type, String name) {
        for (JsonNode acl : acls) {
            JsonNode r = acl.path("resource");
            boolean prefix = r.path("patternType").asText("literal").equals("prefix");
            if (r.path("type").asText().equals(type)
                    && (prefix ? name.startsWith(r.path("name").asText()) : name.equals(r.path("name").asText()))
                    && acl.path("type").asText("allow").equals("allow")) {
                return true;
            }
        }
        return false;
    }

    private static boolean param(JsonNode auth, String name) {
        for (String refs : List.of("secretTargetRef", "configMapTargetRef")) {
            for (JsonNode ref : auth.path("spec").path(refs)) {
                if (ref.path("parameter").asText().equals(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String defaultOf(Class<?> config) {
        try {
            return config.getMethod("topic").getAnnotation(WithDefault.class).value();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean kind(JsonNode d, String kind) {
        return d.path("kind").asText().equals(kind);
    }

    private static boolean named(JsonNode d, String name) {
        return d.path("metadata").path("name").asText().equals(name);
    }
}
