package dev.precis.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The manifest check passes the project's own base and catches the mistakes it is there for. */
class ManifestCheckTest {

    private final ManifestCheck check = new ManifestCheck();

    @Test
    void theBaseManifestsAreValid() throws Exception {
        StringBuilder all = new StringBuilder();
        for (Path file : ManifestCheck.yamlFiles(Path.of("k8s/base"))) {
            all.append(Files.readString(file)).append("\n---\n");
        }
        assertEquals(List.of(), check.check(all.toString()));
    }

    @Test
    void catchesUnknownFieldsWrongVersionsAndBrokenRules() throws Exception {
        String base = Files.readString(Path.of("k8s/base/deployment.yaml"));
        assertTrue(only(base.replace("terminationGracePeriodSeconds", "terminationGracePeriod")).contains("unknown field"));
        assertTrue(only(base.replace("terminationGracePeriodSeconds: 120", "terminationGracePeriodSeconds: 60"))
                .contains("shutdown grace (100 s)"));
        assertTrue(only(base.replace("apps/v1", "apps/v1beta1")).contains("unknown API version"));
        assertTrue(only(base.replace("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false")).contains("read-only root"));
        String scaled = Files.readString(Path.of("k8s/base/scaledobject.yaml"));
        assertTrue(only(scaled.replace("cooldownPeriod", "coolDownPeriod")).contains("coolDownPeriod"));
        String topics = Files.readString(Path.of("k8s/base/topics.yaml"));
        assertTrue(only(topics + "\n---\n" + base + "\n---\n" + scaled.replace("maxReplicaCount: 12", "maxReplicaCount: 13"))
                .contains("exceeds the 12 partitions"));
        assertTrue(only(topics.replace("partitions: 12", "partitions: twelve")).contains("integer"));
    }

    private String only(String yaml) throws Exception {
        return String.join("\n", check.check(yaml));
    }
}
