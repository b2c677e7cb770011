package dev.precis.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.precis.support.KafkaAndModel;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Outside the embedded profile submitting is off until enabled; reading stays open. */
@QuarkusTest
@WithTestResource(KafkaAndModel.class)
class HttpReadOnlyTest {

    @TestHTTPResource("/api/documents")
    URL documents;

    @Test
    void submittingIsRefusedUntilEnabled() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(documents.toURI()).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("Tea is a drink.")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, post.statusCode());
        assertTrue(post.body().contains("precis.http.submit=true"), post.body());
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(documents + "/nothing-here")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, get.statusCode());
        HttpResponse<String> cors = http.send(HttpRequest.newBuilder(documents.toURI()).method("OPTIONS",
                HttpRequest.BodyPublishers.noBody()).header("Origin", "https://elsewhere.example")
                .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(cors.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), "CORS is off: " + cors.headers());
    }
}
