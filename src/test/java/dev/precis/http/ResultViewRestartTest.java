package dev.precis.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.support.KafkaAndModel;
import dev.precis.support.KafkaTestClient;
import dev.precis.support.KafkaTestClient.ProducerRecordSpec;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A worker that starts finds the results and dead letters written before it, from the topics' tails. */
@QuarkusTest
@WithTestResource(KafkaAndModel.class)
@TestProfile(ResultViewRestartTest.SmallView.class)
class ResultViewRestartTest {

    /** An application of its own, whose view has not read anything yet. */
    public static class SmallView implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("precis.http.results-kept", "500");
        }
    }

    @TestHTTPResource("/api/documents/")
    URL documents;

    @Test
    void resultsWrittenBeforeTheViewStartedAreFound() throws Exception {
        String id = "earlier-" + UUID.randomUUID().toString().substring(0, 8);
        String dead = "refused-" + UUID.randomUUID().toString().substring(0, 8);
        KafkaTestClient.send("summaries", List.of(new ProducerRecordSpec(id.getBytes(StandardCharsets.UTF_8),
                ("{\"id\":\"" + id + "\",\"status\":\"SUMMARIZED\",\"summary\":\"- Tea.\"}").getBytes(StandardCharsets.UTF_8),
                Map.of())));
        KafkaTestClient.send("documents.dlq", List.of(new ProducerRecordSpec(dead.getBytes(StandardCharsets.UTF_8),
                "{\"text\": oops".getBytes(StandardCharsets.UTF_8),
                Map.of("precis.dlq.code", "MALFORMED_JSON", "precis.dlq.reason", "not JSON"))));

        ObjectMapper json = new ObjectMapper();
        JsonNode result = json.readTree(get(id).body());
        assertEquals("SUMMARIZED", result.path("status").asText(), result.toString());
        JsonNode refused = json.readTree(get(dead).body());
        assertEquals("DEAD_LETTERED", refused.path("status").asText(), refused.toString());
        assertEquals("MALFORMED_JSON", refused.path("code").asText());
        assertEquals("not JSON", refused.path("reason").asText());
    }

    private HttpResponse<String> get(String id) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(documents + id)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
