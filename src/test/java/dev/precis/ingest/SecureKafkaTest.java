package dev.precis.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.support.KafkaTestClient.ProducerRecordSpec;
import dev.precis.support.KafkaTestClient;
import dev.precis.support.SecureKafka;
import dev.precis.support.TestDocs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The worker against a broker that requires SASL/SCRAM over TLS, with the right password. */
@QuarkusTest
@TestProfile(SecureKafkaTest.Secured.class)
@WithTestResource(SecureKafka.class)
class SecureKafkaTest {

    /** Its own application start, so that only the secured broker is configured. */
    public static class Secured implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("precis.lag-interval", "1s");
        }
    }

    @Test
    void summarizesThroughASaslSslListener() throws Exception {
        String id = "secure-" + UUID.randomUUID();
        KafkaTestClient.send(SecureKafka.bootstrapServers(), SecureKafka.clientSettings(SecureKafka.PASSWORD), "documents",
                List.of(new ProducerRecordSpec(id.getBytes(StandardCharsets.UTF_8),
                        TestDocs.english(8, 1).getBytes(StandardCharsets.UTF_8), Map.of())));
        var out = KafkaTestClient.readUntil(SecureKafka.bootstrapServers(), SecureKafka.clientSettings(SecureKafka.PASSWORD),
                Set.of("summaries"), Set.of(id), seen -> !seen.isEmpty(), Duration.ofMinutes(2));
        assertEquals(1, out.size());
        assertEquals("SUMMARIZED", new ObjectMapper().readTree(out.getFirst().value()).path("status").asText());
    }
}
