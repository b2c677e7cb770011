package dev.precis.http;

import dev.precis.config.Messaging;
import dev.precis.config.PrecisConfig;
import dev.precis.pipeline.Pipeline;
import dev.precis.pipeline.Pipelines;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import dev.precis.ingest.DirectLane;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Documents in and results out over HTTP. A submitted document goes to the input topic like any
 * other record (the same contract, checked by the same parser first, so a bad one is answered 400
 * with its dead-letter code instead of being queued); its result is read from the results topic.
 */
@Path("/api")
@Tag(name = "documents")
public class DocumentResource {

    private final ApiAccess access;
    private final Pipelines pipelines;
    private final SubmissionCheck intake;
    private final ResultView results;
    private final DirectLane lane;
    private final String inputTopic;
    private final String correlationHeader;
    private final int kept;

    DocumentResource(ApiAccess access, SubmissionCheck intake, ResultView results, DirectLane lane,
            Messaging messaging, PrecisConfig config, Pipelines pipelines) {
        this.access = access;
        this.pipelines = pipelines;
        this.intake = intake;
        this.results = results;
        this.lane = lane;
        this.inputTopic = messaging.inputTopic();
        this.correlationHeader = config.correlationHeader();
        this.kept = config.http().resultsKept();
    }

    @POST
    @Path("/documents")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, "text/markdown"})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a document", description = "The body is a document as on the input topic: a JSON "
            + "object (schemas/document.schema.json) or plain text. Plain text takes its id from ?id= or is given one. "
            + "Answers 202 with the id and where the result will be, or 400 with the dead-letter code and reason.")
    public Uni<Response> submit(byte[] body, @QueryParam("id") String id, @Context HttpHeaders headers) {
        String documentId = intake.admit(body, id, headers).id();
        // Whoever submits will ask for the result: the view reads from now on.
        results.start();
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(inputTopic,
                documentId.getBytes(StandardCharsets.UTF_8), body);
        String correlation = headers.getHeaderString(correlationHeader);
        if (correlation != null) {
            record.headers().add(correlationHeader, correlation.getBytes(StandardCharsets.UTF_8));
        }
        return Uni.createFrom().completionStage(() -> lane.send(record))
                .map(written -> {
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("id", documentId);
                    // An id may hold spaces, slashes or '<' ("report 2026/Q3 final.pdf"): paths carry it encoded.
                    String path = "/api/documents/" + URLEncoder.encode(documentId, StandardCharsets.UTF_8)
                            .replace("+", "%20");
                    answer.put("result", path);
                    answer.put("events", "/api/results?id=" + URLEncoder.encode(documentId, StandardCharsets.UTF_8));
                    answer.put("partition", written.partition());
                    answer.put("offset", written.offset());
                    return Response.accepted(answer).location(URI.create(path)).build();
                })
                .onFailure().recoverWithItem(e -> ApiAccess.error(Response.Status.SERVICE_UNAVAILABLE, "NOT_WRITTEN",
                        "The document could not be written to the input topic: " + e));
    }

    @GET
    @Path("/models")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The models a document may choose", description = "The default model (what writes a "
            + "document's summary when it names none) and the configured names a document may give as \"model\".")
    public Map<String, Object> models() {
        return Map.of("default", pipelines.forModel(null).map(Pipeline::model).orElse("extractive"),
                "named", pipelines.names().stream().sorted().toList(), "submit", access.submitting(),
                "apiKey", access.needsKey());
    }

    @GET
    @Path("/documents/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The result of a document", description = "Its result or dead letter, from a view of the "
            + "latest precis.http.results-kept of them (rebuilt from the topics' last records after a restart). "
            + "404 while there is none, or when it is older than the view holds.")
    public Response result(@PathParam("id") String id) throws InterruptedException {
        return results.get(id).map(p -> Response.ok(p.json(), MediaType.APPLICATION_JSON).build())
                .orElseGet(() -> ApiAccess.error(Response.Status.NOT_FOUND, "NO_RESULT", "No result or dead letter "
                        + "for this id among the latest " + kept + " (not summarized yet, or older than that)."));
    }

    @GET
    @Path("/results")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Results as they are published", description = "Server-sent events named 'result' or "
            + "'dead-letter', whose data is the record's JSON; all of them, or those of one id or correlation id.")
    public Multi<OutboundSseEvent> stream(@QueryParam("id") String id, @QueryParam("correlationId") String correlationId,
            @Context Sse sse) {
        return results.live()
                .filter(p -> id == null || id.equals(p.id()))
                .filter(p -> correlationId == null || correlationId.equals(p.correlationId()))
                .map(p -> sse.newEventBuilder().name(p.kind()).id(p.id()).mediaType(MediaType.APPLICATION_JSON_TYPE)
                        .data(String.class, p.json()).build());
    }
}
