package dev.precis.http;

import dev.precis.ingest.DocumentParser;
import dev.precis.ingest.ParseResult;
import dev.precis.pipeline.Document;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What every writing endpoint does first: checks that the request may write, then reads the body
 * with the worker's own parser. A refusal is thrown as the answer to give (401/403, or 400 with the
 * dead-letter code and reason), before anything is queued or streamed.
 */
@ApplicationScoped
public class SubmissionCheck {

    private final ApiAccess access;
    private final DocumentParser parser;

    SubmissionCheck(ApiAccess access, DocumentParser parser) {
        this.access = access;
        this.parser = parser;
    }

    /** The document in {@code body}; plain text takes {@code id} (or a new one) as its id. */
    Document admit(byte[] body, String id, HttpHeaders headers) {
        access.refusal(headers).ifPresent(refused -> {
            throw new WebApplicationException(refused);
        });
        byte[] key = (id == null || id.isBlank() ? UUID.randomUUID().toString() : id.strip())
                .getBytes(StandardCharsets.UTF_8);
        ParseResult parsed = parser.parse(key, body);
        if (parsed instanceof ParseResult.Rejected r) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("code", r.code().name());
            answer.put("reason", r.message());
            if (r.id() != null) {
                answer.put("id", r.id());
            }
            throw new WebApplicationException(Response.status(Response.Status.BAD_REQUEST)
                    .type(MediaType.APPLICATION_JSON).entity(answer).build());
        }
        return ((ParseResult.Accepted) parsed).document();
    }
}
