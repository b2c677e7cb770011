package dev.precis.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.support.FakeModel;
import dev.precis.support.FakeOpenAi;
import dev.precis.support.KafkaAndModel;
import dev.precis.support.TestDocs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Summarizing while the caller waits: the streamed text grows as the model writes it and ends as the result. */
@QuarkusTest
@WithTestResource(KafkaAndModel.class)
@TestProfile(HttpApiTest.Submitting.class)
class SummarizeStreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @FakeModel
    FakeOpenAi model;

    @TestHTTPResource("/api/summarize")
    URL summarize;

    /** One server-sent event and when it arrived, in ms after the request was sent. */
    private record Event(String name, String data, long atMillis) {
    }

    @Test
    void theSummaryStreamsPieceByPieceAndEndsAsTheSameResultAsWithoutStreaming() throws Exception {
        model.latency(200);
        model.chunkDelay(30);
        String body = JSON.createObjectNode().put("id", "stream-1").put("text", TestDocs.english(20, 11)).toString();

        // Once to start the streaming client and its connection, then the run that is measured.
        stream(body);
        List<Event> events = stream(body);
        List<Event> tokens = events.stream().filter(e -> e.name().equals("token")).toList();
        Event last = events.getLast();
        assertEquals("result", last.name(), events.toString());
        assertTrue(tokens.size() >= 3, "several pieces before the end: " + events);
        assertTrue(tokens.getFirst().atMillis() < last.atMillis(), "the first piece comes before the result");
        JsonNode result = JSON.readTree(last.data());
        assertEquals("SUMMARIZED", result.path("status").asText(), result.toString());
        assertEquals(result.path("summary").asText(), written(events));
        assertTrue(result.path("usage").path("outputTokens").asInt() > 0, result.toString());
        System.out.printf("Streamed summary: first piece after %d ms, result after %d ms, %d pieces (fake model: "
                + "200 ms to the first piece, 30 ms between pieces)%n", tokens.getFirst().atMillis(), last.atMillis(),
                tokens.size());

        // The same document without streaming: the same text.
        HttpResponse<String> whole = HttpClient.newHttpClient().send(post(summarize.toURI(), body),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, whole.statusCode(), whole.body());
        assertEquals(result.path("summary").asText(), JSON.readTree(whole.body()).path("summary").asText());
    }

    @Test
    void aLongDocumentStreamsItsFinalCombiningCall() throws Exception {
        String body = JSON.createObjectNode().put("id", "stream-long").put("text", TestDocs.english(300, 4)).toString();
        List<Event> events = stream(body);
        JsonNode result = JSON.readTree(events.getLast().data());
        assertEquals("MAP_REDUCE", result.path("strategy").asText(), result.toString());
        assertEquals(result.path("summary").asText(), written(events));
    }

    @Test
    void aStreamedCallThatFailsIsRetriedByTheGatewayAsAnyOther() throws Exception {
        model.failNext(429, 1);
        model.failNext(503, 1);
        String body = JSON.createObjectNode().put("id", "stream-retry").put("text", TestDocs.english(15, 21)).toString();
        List<Event> events = stream(body);
        JsonNode result = JSON.readTree(events.getLast().data());
        assertEquals("SUMMARIZED", result.path("status").asText(), result.toString());
        assertEquals(3, model.requests().size(), "two refusals, then the answer: " + model.requests());
        assertEquals(result.path("summary").asText(), written(events));
    }

    @Test
    void badInputIsRefusedWithItsDeadLetterCode() throws Exception {
        HttpResponse<String> refused = HttpClient.newHttpClient().send(post(URI.create(summarize + "/stream"),
                "{\"id\": \"x\", \"text\": "), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, refused.statusCode());
        assertEquals("MALFORMED_JSON", JSON.readTree(refused.body()).path("code").asText(), refused.body());
    }

    /** The text the pieces make, as a client keeps it: a restart throws away what came before. */
    private static String written(List<Event> events) throws Exception {
        StringBuilder grown = new StringBuilder();
        for (Event e : events) {
            if (e.name().equals("restart")) {
                grown.setLength(0);
            } else if (e.name().equals("token")) {
                grown.append(JSON.readTree(e.data()).path("text").asText());
            }
        }
        return grown.toString().strip();
    }

    private List<Event> stream(String body) throws Exception {
        long sent = System.nanoTime();
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(post(URI.create(summarize + "/stream"),
                body), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        List<Event> events = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).strip());
                } else if (line.isEmpty() && name != null) {
                    events.add(new Event(name, data.toString(), (System.nanoTime() - sent) / 1_000_000));
                    name = null;
                    data.setLength(0);
                }
            }
        }
        return events;
    }

    private static HttpRequest post(URI uri, String body) {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json").header("X-API-Key", HttpApiTest.KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
