package dev.precis.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.support.KafkaAndModel;
import dev.precis.support.KafkaTestClient;
import dev.precis.support.TestDocs;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Documents in and results out over HTTP, through the real broker and the worker. */
@QuarkusTest
@WithTestResource(KafkaAndModel.class)
@TestProfile(HttpApiTest.Submitting.class)
class HttpApiTest {

    static final String KEY = "test-api-key-" + UUID.randomUUID();

    /** Submitting on, behind an API key. */
    public static class Submitting implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("precis.http.submit", "true", "precis.http.api-key", KEY);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URL root;

    @Test
    void aSubmittedDocumentIsSummarizedAndItsResultCanBeReadAndStreamed() throws Exception {
        String id = "http-" + UUID.randomUUID().toString().substring(0, 8);
        // The stream is open before the document is sent: its result must arrive on it.
        // The response's headers come once the server has subscribed the stream.
        HttpResponse<Stream<String>> stream = http.sendAsync(HttpRequest.newBuilder(uri("api/results?id=" + id)).build(),
                HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
        assertEquals(200, stream.statusCode());
        List<String> events = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try {
                stream.body().forEach(events::add);
            } catch (java.io.UncheckedIOException e) {
                // The application stops at the end of the tests and closes the stream.
            }
        });
        reader.setDaemon(true);
        reader.start();

        String body = JSON.createObjectNode().put("id", id).put("text", TestDocs.english(12, 7)).toString();
        HttpResponse<String> sent = post("application/json", body, Map.of("X-API-Key", KEY, "correlation-id", "c-" + id));
        assertEquals(202, sent.statusCode(), sent.body());
        JsonNode answer = JSON.readTree(sent.body());
        assertEquals(id, answer.path("id").asText());
        assertEquals("/api/documents/" + id, answer.path("result").asText());

        // It went to the input topic like any record, with its key and the correlation header.
        List<ConsumerRecord<byte[], byte[]>> input = KafkaTestClient.readUntil(Set.of("documents"), Set.of(id),
                seen -> !seen.isEmpty(), Duration.ofSeconds(30));
        assertEquals(body, new String(input.getFirst().value(), StandardCharsets.UTF_8));
        assertEquals("c-" + id, new String(input.getFirst().headers().lastHeader("correlation-id").value(),
                StandardCharsets.UTF_8));

        HttpResponse<String> found = await().atMost(Duration.ofMinutes(1)).until(() -> get("api/documents/" + id),
                r -> r.statusCode() == 200);
        JsonNode result = JSON.readTree(found.body());
        assertEquals(id, result.path("id").asText());
        assertEquals("SUMMARIZED", result.path("status").asText());
        assertTrue(!result.path("summary").asText().isBlank(), result.toString());

        await().atMost(Duration.ofSeconds(30)).until(() -> events.stream().anyMatch(l -> l.startsWith("data:")
                && l.contains("\"id\":\"" + id + "\"")));
        assertTrue(events.contains("event:result") || events.contains("event: result"), events.toString());
    }

    @Test
    void plainTextIsGivenAnIdAndBadInputIsAnsweredWithItsDeadLetterCode() throws Exception {
        HttpResponse<String> text = post("text/plain", "Tea is a drink. It is made with leaves.", Map.of("Authorization",
                "Bearer " + KEY));
        assertEquals(202, text.statusCode(), text.body());
        assertTrue(JSON.readTree(text.body()).path("id").asText().length() >= 32, text.body());

        HttpResponse<String> broken = post("application/json", "{\"id\": \"x\", \"text\": ", Map.of("X-API-Key", KEY));
        assertEquals(400, broken.statusCode());
        assertEquals("MALFORMED_JSON", JSON.readTree(broken.body()).path("code").asText(), broken.body());
        HttpResponse<String> blank = post("text/plain", "   ", Map.of("X-API-Key", KEY));
        assertEquals(400, blank.statusCode());
        assertEquals("BLANK_TEXT", JSON.readTree(blank.body()).path("code").asText());

        HttpResponse<String> unknown = get("api/documents/never-" + UUID.randomUUID());
        assertEquals(404, unknown.statusCode());
        assertEquals("NO_RESULT", JSON.readTree(unknown.body()).path("code").asText());
    }

    @Test
    void writingNeedsTheKeyAndTheKeyIsNeverEchoed() throws Exception {
        String body = "{\"id\":\"nokey\",\"text\":\"Tea is a drink.\"}";
        HttpResponse<String> none = post("application/json", body, Map.of());
        assertEquals(401, none.statusCode());
        HttpResponse<String> wrong = post("application/json", body, Map.of("X-API-Key", KEY + "x"));
        assertEquals(401, wrong.statusCode());
        assertTrue(!wrong.body().contains(KEY), "the key is not echoed");
        assertEquals("Bearer", wrong.headers().firstValue("WWW-Authenticate").orElse(""));
    }

    @Test
    void theApiIsDescribedByOpenApi() throws Exception {
        HttpResponse<String> openapi = get("q/openapi?format=json");
        assertEquals(200, openapi.statusCode());
        JsonNode paths = JSON.readTree(openapi.body()).path("paths");
        assertTrue(Stream.of("/api/documents", "/api/documents/{id}", "/api/results").allMatch(paths::has),
                paths.toString());
    }

    private URI uri(String path) {
        return URI.create(root.toString()).resolve(path);
    }

    private HttpResponse<String> post(String type, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("api/documents")).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
