package dev.precis.llm.batch;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What must outlive the worker so that no batch is paid for twice: which batches exist and which
 * requests each holds (with the document that asked). A batch is recorded before it is created,
 * so that a worker killed between the two finds it at the provider by its tag. Implementations
 * must be thread-safe; {@link #sealed} and {@link #created} return once the record is durable.
 */
public interface BatchLedger {

    /** A batch not yet finished: {@code batchId} is null until the provider has confirmed it. */
    record Entry(String tag, String model, String batchId, Instant sealedAt, Map<String, String> documentsByRequest) {
    }

    BatchLedger NONE = new BatchLedger() {
        @Override
        public void sealed(String tag, String model, Map<String, String> documentsByRequest) {
        }

        @Override
        public void created(String tag, String model, String batchId) {
        }

        @Override
        public void finished(String tag, String model, Collection<String> requests) {
        }

        @Override
        public List<Entry> open(String model) {
            return List.of();
        }
    };

    void sealed(String tag, String model, Map<String, String> documentsByRequest);

    void created(String tag, String model, String batchId);

    /** The batch is done with; {@code requests} are those of its requests that were not moved to a later batch. */
    void finished(String tag, String model, Collection<String> requests);

    /** The model's batches that were not finished when the ledger was last written. */
    List<Entry> open(String model);
}
