package dev.precis.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.precis.support.LogCapture;
import dev.precis.support.SecureKafka;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A wrong SCRAM password fails clearly: readiness DOWN and an authentication error in the log. */
@QuarkusTest
@TestProfile(WrongKafkaPasswordTest.WrongPassword.class)
@WithTestResource(value = SecureKafka.class,
        initArgs = @ResourceArg(name = "password", value = "not-the-password"))
class WrongKafkaPasswordTest {

    /** Its own application start with the wrong password. */
    public static class WrongPassword implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("precis.lag-interval", "1s");
        }
    }

    @TestHTTPResource("/q/health/ready")
    URL ready;

    @Test
    void readinessGoesDownAndTheLogSaysAuthenticationFailed() throws Exception {
        try (LogCapture logs = LogCapture.start()) {
            await("readiness DOWN and the authentication failure logged").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> readiness().contains("\"DOWN\"")
                            && logs.lines().stream().anyMatch(l -> l.contains("Authentication failed")));
            String health = readiness();
            assertTrue(health.contains("\"status\": \"DOWN\"") || health.contains("\"status\":\"DOWN\""), health);
            assertTrue(logs.lines().stream().anyMatch(l -> l.contains("Authentication failed")),
                    "the log names the authentication failure");
            assertTrue(logs.lines().stream().noneMatch(l -> l.contains("not-the-password")), "password in the log");
        }
    }

    private String readiness() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(ready.toURI()).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
