package dev.precis.bench;

import dev.precis.devbroker.EmbeddedKafkaBroker;
import dev.precis.support.BatchModeRun;
import dev.precis.support.FakeBatchApi;
import dev.precis.support.FakeOpenAi;
import java.time.Duration;

/**
 * The packaged worker in batch mode over {@code bench.docs} documents (default 1,000; one in ten
 * long enough for map-reduce, one in seven translated), killed with SIGKILL while its first
 * batches are pending and started again, then the same documents online: results, batches, requests
 * sent again without cause, requests over the window, and the cost of one against the other.
 * {@code bench.enqueued-limit} gives the fake Batch API an enqueued-token quota. Needs the
 * packaged worker ({@code ./mvnw package -DskipTests}).
 */
public final class BatchBenchmark {

    private BatchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int docs = Integer.getInteger("bench.docs", 1000);
        long quota = Long.getLong("bench.enqueued-limit", 0L);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, 6); FakeOpenAi model = new FakeOpenAi(4096)) {
            FakeBatchApi api = new FakeBatchApi(model);
            api.enqueuedTokenLimit(quota);
            BatchModeRun.Result batch = BatchModeRun.run(broker, model, api, "batch", docs, true, true,
                    Duration.ofMinutes(20));
            BatchModeRun.Result online = BatchModeRun.run(broker, model, api, "online", docs, false, false,
                    Duration.ofMinutes(20));
            long refused = api.created().stream().filter(c -> c.status().equals("failed")).count();
            System.out.printf("documents                     %d (one in ten long, one in seven translated)%n", docs);
            System.out.printf("results written               batch %d (%d summarized, %d lost, %d ids written twice), "
                    + "online %d%n", batch.resultsById().size(), batch.summarized(), batch.lost(), batch.duplicated(),
                    online.resultsById().size());
            System.out.printf("batches created               %d in all: %d before the SIGKILL (%d pending at it), "
                    + "%d refused for the enqueued-token quota%s%n", batch.batchesCreated(), batch.batchesBeforeKill(),
                    batch.pendingAtKill(), refused, quota > 0 ? " (limit " + quota + ")" : "");
            System.out.printf("batch lines run               %d (%d answered, %d taken by no document); sent again without cause: %d; over the "
                    + "window: %d%n", batch.lines(), batch.answeredLines(), batch.unclaimed(),
                    batch.submittedAgainWithoutCause(), batch.overWindow());
            System.out.printf("model calls in the results    batch %d (%d through the Batch API), online %d%n",
                    batch.calls(), batch.batchCalls(), online.calls());
            System.out.printf("tokens                        batch %d, online %d%n", batch.tokens(), online.tokens());
            System.out.printf("cost (at $%.2f/$%.2f per M)    batch $%.6f, online $%.6f: %.3fx (target <= 0.52x)%n",
                    BatchModeRun.INPUT_PRICE, BatchModeRun.OUTPUT_PRICE, batch.cost(), online.cost(),
                    batch.cost() / online.cost());
            System.out.printf("wall time                     batch %d s (with the kill and restart), online %d s%n",
                    batch.took().toSeconds(), online.took().toSeconds());
        }
    }
}
