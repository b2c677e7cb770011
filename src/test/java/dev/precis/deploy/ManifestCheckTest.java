package dev.precis.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every overlay, rendered as kubectl renders it, passes the manifest check; and the check catches
 * the mistakes it is there for. The published schemas are those named by the system property
 * {@code k8s.schemas} (the build points it at a folder beside the project, when there is one).
 */
class ManifestCheckTest {

    private static final List<String> OVERLAYS = List.of("dev", "prod", "nightly");

    @Test
    void everyOverlayFollowsPrecisRules() throws Exception {
        ManifestCheck check = new ManifestCheck(Optional.empty());
        for (String overlay : OVERLAYS) {
            assertEquals(List.of(), check.check(render(overlay)), overlay);
        }
    }

    @Test
    void everyOverlayMatchesThePublishedSchemas() throws Exception {
        ManifestCheck check = new ManifestCheck(Optional.of(schemas()));
        for (String overlay : OVERLAYS) {
            assertEquals(List.of(), check.check(render(overlay)), overlay);
        }
    }

    @Test
    void catchesUnknownFieldsWrongVersionsAndValues() throws Exception {
        ManifestCheck check = new ManifestCheck(Optional.of(schemas()));
        String prod = render("prod");
        assertTrue(only(check, prod.replace("terminationGracePeriodSeconds", "terminationGracePeriod")).contains("terminationGracePeriod"));
        assertTrue(only(check, prod.replace("apps/v1", "apps/v1beta1")).contains("unknown API version"));
        assertTrue(only(check, prod.replace("kafka.strimzi.io/v1", "kafka.strimzi.io/v1beta2")).contains("unknown API version"),
                "Strimzi 1.x serves only v1");
        assertTrue(only(check, prod.replace("cooldownPeriod", "coolDownPeriod")).contains("coolDownPeriod"));
        assertTrue(only(check, prod.replace("lagThreshold: \"20\"", "lagThreshold: 20")).contains("lagThreshold"));
        assertTrue(only(check, prod.replace("operations:", "operation:")).contains("operation"), "v1 KafkaUser ACLs");
        assertTrue(only(check, prod.replace("partitions: 12", "partitions: twelve")).contains("integer"));
        assertTrue(only(check, prod.replace("protocol: TCP", "protocol: TPC")).contains("TPC"));
        String nightly = render("nightly");
        assertTrue(only(check, nightly.replace("Etc/UTC", "Mars/Olympus")).contains("time zone"));
        assertTrue(only(check, nightly.replace("completionMode: Indexed", "completionMode: indexed")).contains("indexed"));
    }

    @Test
    void catchesKafkaKedaAndIdentityMistakes() throws Exception {
        ManifestCheck check = new ManifestCheck(Optional.empty());
        String prod = render("prod");
        assertTrue(only(check, prod.replace("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false")).contains("read-only root"));
        assertTrue(only(check, prod.replace("terminationGracePeriodSeconds: 120", "terminationGracePeriodSeconds: 60"))
                .contains("shutdown grace (100 s)"));
        assertTrue(only(check, prod.replace("maxReplicaCount: 12", "maxReplicaCount: 13")).contains("exceeds the 12 partitions"));
        assertTrue(only(check, prod.replace("kafka-kafka-bootstrap.kafka.svc:9093", "kafka-kafka-bootstrap:9093"))
                .contains("does not resolve from KEDA's namespace"));
        assertTrue(only(check, prod.replace("parameter: ca", "parameter: cert")).contains("passes no ca"));
        assertTrue(only(check, prod.replace("topic: documents_retry_50000", "topic: documents")).contains("documents_retry_50000"));
        assertTrue(only(check, prod.replace("topicName: precis.budget-shares", "topicName: precis.budget")).contains(
                "no KafkaTopic for precis.budget-shares"));
        assertTrue(only(check, prod.replace("name: precis.\n", "name: other.\n")).contains("no ACL for the topic precis.partial-summaries"));
        assertTrue(only(check, prod.replace("serviceAccountName: precis", "serviceAccountName: default")).contains("ServiceAccount"));
    }

    private static String only(ManifestCheck check, String yaml) throws Exception {
        return String.join("\n", check.check(yaml));
    }

    private static PublishedSchemas schemas() throws IOException {
        String dir = System.getProperty("k8s.schemas", "");
        assumeTrue(!dir.isEmpty() && Files.isDirectory(Path.of(dir)), "no published schemas at '" + dir + "'");
        return new PublishedSchemas(Path.of(dir));
    }

    /** The overlay as kubectl renders it (kubectl has kustomize built in). */
    private static String render(String overlay) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("kubectl", "kustomize", "k8s/overlays/" + overlay).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "kubectl is not installed");
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
