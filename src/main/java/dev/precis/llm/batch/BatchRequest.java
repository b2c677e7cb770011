package dev.precis.llm.batch;

import dev.precis.llm.LlmCall;
import dev.precis.llm.LlmReply;
import java.util.concurrent.CompletableFuture;

/**
 * One request of the Batch API: known from a document's call, or only from the ledger (its call
 * null) until its document asks again after a restart. Whoever waits for it waits on {@link #answer}.
 */
final class BatchRequest {

    final String id;
    final CompletableFuture<LlmReply> answer = new CompletableFuture<>();
    final String document;
    final long bytes;
    final long tokens;
    volatile LlmCall call;
    // Sent online (at the deadline, or after its batch expired): its batch's end must not send it again.
    volatile boolean online;
    int failures;

    BatchRequest(String id, LlmCall call, String document, long bytes, long tokens) {
        this.id = id;
        this.call = call;
        this.document = document;
        this.bytes = bytes;
        this.tokens = tokens;
    }

    String stage() {
        LlmCall c = call;
        return c == null ? "unknown" : c.stage();
    }
}
