package dev.precis.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.llm.TokenSink;
import dev.precis.pipeline.Document;
import dev.precis.pipeline.Outcome;
import dev.precis.pipeline.Pipeline;
import dev.precis.pipeline.Pipelines;
import dev.precis.publish.IdempotencyKey;
import dev.precis.publish.OutgoingRecords;
import dev.precis.publish.SummaryRecord;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestMulti;

/**
 * Summarizes a document while the caller waits, through the same pipeline as the topic's records
 * (chunking, strategies, the gateway's budgets and retries), without the topics: nothing is
 * written to them. The streaming form sends the final summary's text as the model writes it.
 */
@Path("/api/summarize")
@Tag(name = "summarize")
public class SummarizeResource {

    private final SubmissionCheck intake;
    private final Pipelines pipelines;
    private final OutgoingRecords records;
    private final ObjectMapper json;

    SummarizeResource(SubmissionCheck intake, Pipelines pipelines, ObjectMapper json) {
        this.intake = intake;
        this.pipelines = pipelines;
        this.records = new OutgoingRecords(json);
        this.json = json;
    }

    @POST
    @Blocking
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, "text/markdown"})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Summarize now", description = "The document as on the input topic; answers with the "
            + "result as the results topic would carry it (without a source offset), or 400 with the dead-letter code.")
    public Response summarize(byte[] body, @QueryParam("id") String id, @Context HttpHeaders headers) {
        return Response.ok(result(intake.admit(body, id, headers), TokenSink.NONE), MediaType.APPLICATION_JSON).build();
    }

    @POST
    @Path("/stream")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, "text/markdown"})
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Summarize now, streamed", description = "Server-sent events: 'token' (a piece of the "
            + "summary as the model writes it; JSON {\"text\"}), 'restart' (what came before is replaced: a retry, "
            + "a refinement), then 'result' (the whole result with usage and cost). A refused document is "
            + "answered 400 (or 401, 403) with a JSON body holding the code and reason, before any event.")
    public Multi<OutboundSseEvent> stream(byte[] body, @QueryParam("id") String id, @Context HttpHeaders headers,
            @Context Sse sse) {
        // Refused before any event: the answer is then a plain JSON error with its status.
        Document doc = intake.admit(body, id, headers);
        Multi<OutboundSseEvent> events = Multi.createFrom().emitter(emitter -> Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                String result = result(doc, new EventSink(emitter, sse));
                emitter.emit(event(sse, "result", result));
                emitter.complete();
            } catch (RuntimeException e) {
                emitter.fail(e);
            }
        }));
        return RestMulti.fromMultiData(events).header("Cache-Control", "no-cache").build();
    }

    /** The document through its model's pipeline, as the result the topic would carry. */
    private String result(Document doc, TokenSink sink) {
        // The parser only lets through model names that are configured.
        Pipeline pipeline = pipelines.forModel(doc.model()).orElseThrow();
        long start = System.nanoTime();
        Outcome outcome = pipeline.process(doc, sink);
        SummaryRecord record = SummaryRecord.of(doc.id(), IdempotencyKey.of(doc, pipeline.model()), outcome,
                pipeline.pricing(), (System.nanoTime() - start) / 1_000_000, null, doc.metadataJson());
        return new String(records.value(record), StandardCharsets.UTF_8);
    }

    private static OutboundSseEvent event(Sse sse, String name, String data) {
        return sse.newEventBuilder().name(name).mediaType(MediaType.APPLICATION_JSON_TYPE).data(String.class, data).build();
    }

    /** The pipeline's text as events: a second answer's start means that what came before is replaced. */
    private final class EventSink implements TokenSink {
        private final MultiEmitter<? super OutboundSseEvent> emitter;
        private final Sse sse;
        private boolean wrote;

        EventSink(MultiEmitter<? super OutboundSseEvent> emitter, Sse sse) {
            this.emitter = emitter;
            this.sse = sse;
        }

        @Override
        public void begin() {
            if (wrote) {
                emitter.emit(event(sse, "restart", "{}"));
            }
        }

        @Override
        public void text(String delta) {
            if (delta == null || delta.isEmpty()) {
                return;
            }
            wrote = true;
            try {
                emitter.emit(event(sse, "token", json.writeValueAsString(Map.of("text", delta))));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
