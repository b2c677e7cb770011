package dev.precis.http;

import dev.precis.config.PrecisConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * Who may write: submitting is off unless {@code precis.http.submit} is on (the embedded profile
 * turns it on and listens on localhost only), and needs the API key when one is configured. The key
 * is compared in constant time and never logged or echoed.
 */
@ApplicationScoped
public class ApiAccess {

    private final boolean submit;
    private final Optional<byte[]> apiKey;

    ApiAccess(PrecisConfig config) {
        this.submit = config.http().submit();
        this.apiKey = config.http().apiKey().filter(k -> !k.isBlank()).map(k -> k.strip().getBytes(StandardCharsets.UTF_8));
    }

    boolean submitting() {
        return submit;
    }

    boolean needsKey() {
        return apiKey.isPresent();
    }

    /** Empty when the request may write; else the answer to give it. */
    Optional<Response> refusal(HttpHeaders headers) {
        if (!submit) {
            return Optional.of(error(Response.Status.FORBIDDEN, "SUBMIT_OFF",
                    "Submitting over HTTP is off here; set precis.http.submit=true (PRECIS_HTTP_SUBMIT=true) to allow it."));
        }
        if (apiKey.isEmpty()) {
            return Optional.empty();
        }
        String given = presented(headers);
        if (given == null || !MessageDigest.isEqual(apiKey.get(), given.strip().getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(Response.fromResponse(error(Response.Status.UNAUTHORIZED, "API_KEY",
                    "This endpoint needs the API key, as 'Authorization: Bearer KEY' or 'X-API-Key: KEY'."))
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build());
        }
        return Optional.empty();
    }

    private static String presented(HttpHeaders headers) {
        String header = headers.getHeaderString("X-API-Key");
        if (header != null) {
            return header;
        }
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7);
        }
        return null;
    }

    static Response error(Response.Status status, String code, String reason) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("code", code, "reason", reason)).build();
    }
}
