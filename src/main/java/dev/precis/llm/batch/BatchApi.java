package dev.precis.llm.batch;

import dev.precis.llm.LlmCall;
import dev.precis.llm.LlmException;
import dev.precis.llm.LlmReply;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A provider's Batch API as the batch client needs it: one input file per batch, its status, its
 * answers. Every method throws {@link LlmException} with the provider's own words when the call
 * itself fails.
 */
public interface BatchApi {

    /** One request of an input file: its id within the batch and the chat call it makes. */
    record Line(String customId, LlmCall call) {
    }

    /** Where a batch is, as the provider reports it. */
    enum Status {
        VALIDATING, IN_PROGRESS, FINALIZING, COMPLETED, FAILED, EXPIRED, CANCELLING, CANCELLED;

        /** No further change will come: its answers (if any) can be read. */
        public boolean finished() {
            return this == COMPLETED || this == FAILED || this == EXPIRED || this == CANCELLED;
        }
    }

    /**
     * A batch: the provider's id, the tag précis gave it (kept in its metadata), its status and
     * counts, and, for a batch that failed as a whole, the provider's reason ({@code quotaRefused}
     * when the reason is the enqueued-token quota, which waiting for earlier batches cures).
     */
    record Job(String id, String tag, Status status, int total, int completed, int failed, String outputFileId,
            String errorFileId, String failure, boolean quotaRefused, Instant createdAt) {
    }

    /**
     * What came back for one line: an answer, or the failure it would have been online ({@code
     * notRun}: the batch expired or was cancelled before the line ran, so nothing was paid).
     */
    sealed interface Result {
        record Answered(LlmReply reply) implements Result {
        }

        record Failed(LlmException failure, boolean notRun) implements Result {
        }
    }

    /** Bytes the line takes in an input file. */
    long size(Line line);

    /** Uploads the lines as one input file and creates a batch of it, tagged {@code tag}. */
    Job create(String tag, List<Line> lines);

    Job get(String batchId);

    /** The batch tagged {@code tag} created since {@code since}, if the provider has one. */
    Optional<Job> findByTag(String tag, Instant since);

    /** The answers of a finished batch, by custom id (lines it never reached are missing). */
    Map<String, Result> results(Job job);

    void cancel(String batchId);
}
