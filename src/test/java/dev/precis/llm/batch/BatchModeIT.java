package dev.precis.llm.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.precis.devbroker.EmbeddedKafkaBroker;
import dev.precis.support.BatchModeRun;
import dev.precis.support.FakeBatchApi;
import dev.precis.support.FakeOpenAi;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The packaged worker in batch mode through a real broker: documents, long and translated ones
 * among them, go through successive batches; the worker is killed with SIGKILL while its batches
 * are pending and started again; every document gets its result, no batch request is paid twice,
 * none is over the window, and the same documents online cost twice as much.
 */
class BatchModeIT {

    @Test
    void aWorkerKilledWhileItsBatchesArePendingResumesThemAndPaysHalf() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, 3); FakeOpenAi model = new FakeOpenAi(4096)) {
            FakeBatchApi api = new FakeBatchApi(model);
            BatchModeRun.Result batch = BatchModeRun.run(broker, model, api, "batch", 40, true, true, Duration.ofMinutes(4));
            BatchModeRun.Result online = BatchModeRun.run(broker, model, api, "online", 40, false, false,
                    Duration.ofMinutes(4));
            System.out.printf("Batch mode, 40 documents, killed with %d batches created (%d pending): %d results, "
                    + "%d batches in all, %d lines run (%d answered, %d of them taken by no document), %d submitted again without cause, %d over the window; cost "
                    + "$%.6f against $%.6f online (%.3fx); calls %d vs %d, tokens %d vs %d%n", batch.batchesBeforeKill(), batch.pendingAtKill(),
                    batch.resultsById().size(), batch.batchesCreated(), batch.lines(), batch.answeredLines(), batch.unclaimed(), batch.submittedAgainWithoutCause(),
                    batch.overWindow(), batch.cost(), online.cost(), batch.cost() / online.cost(), batch.calls(), online.calls(),
                    batch.tokens(), online.tokens());
            assertTrue(batch.pendingAtKill() >= 1, "the kill came while batches were pending");
            assertEquals(0, batch.lost(), "every document has a result: " + batch.resultsById().keySet());
            assertEquals(40, batch.summarized());
            assertEquals(0, batch.submittedAgainWithoutCause(), "no request is paid for twice");
            assertEquals(0, batch.overWindow(), "no request over the window");
            assertTrue(batch.batchesCreated() > batch.batchesBeforeKill(), "later rounds went through further batches");
            assertEquals(batch.calls(), batch.batchCalls(), "every paid call went through the Batch API");
            assertEquals(batch.answeredLines(), batch.batchCalls() + batch.unclaimed(),
                    "each answer is charged to one document, once, or kept apart as one no document took");
            assertTrue(batch.unclaimed() <= batch.pendingAtKillLines(), "only answers of resumed batches go unclaimed");
            assertEquals(40, online.summarized());
            assertTrue(batch.cost() <= 0.52 * online.cost(), batch.cost() + " vs " + online.cost() + " online");
        }
    }
}
