package dev.precis.llm.batch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.precis.llm.LlmCall;
import dev.precis.llm.LlmClient;
import dev.precis.llm.LlmException;
import dev.precis.llm.LlmReply;
import dev.precis.llm.PartialStore;
import dev.precis.llm.provider.OpenAiBatchApi;
import dev.precis.support.FakeBatchApi;
import dev.precis.support.FakeOpenAi;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The batch client against the fake Batch API: collecting, every line's fate, the quota, a restart, the deadline. */
class BatchClientTest {

    private FakeOpenAi provider;
    private FakeBatchApi batches;
    private final dev.precis.support.MemoryPartialStore store = new dev.precis.support.MemoryPartialStore();
    private final Map<String, PartialStore.Partial> kept = store.kept();
    private final MemoryLedger ledger = new MemoryLedger();
    private final AtomicInteger onlineCalls = new AtomicInteger();
    private final List<BatchClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        provider = new FakeOpenAi(2048);
        batches = new FakeBatchApi(provider);
    }

    @AfterEach
    void stop() {
        clients.forEach(BatchClient::close);
        provider.close();
    }

    @Test
    void collectsTheCallsOfManyDocumentsIntoOneBatch() throws Exception {
        BatchClient client = client(null);
        List<LlmReply> replies = callAll(client, 20);
        assertEquals(1, batches.created().size(), "one batch for calls that arrived together");
        assertEquals(20, batches.created().get(0).customIds().size());
        assertTrue(replies.stream().allMatch(r -> r.batch() && r.inputTokens() > 0 && !r.text().isBlank()));
        assertEquals(20, kept.size(), "every answer is kept the moment it is read");
        // The batch's answers are handed out as they are read, and the ledger told once all are.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(
                () -> assertEquals(0, ledger.open("fake").size(), "a finished batch leaves the ledger"));
    }

    @Test
    void aLineOverTheWindowFailsAsItWouldOnline() {
        BatchClient client = client(null);
        LlmException e = assertThrows(LlmException.class,
                () -> client.complete(call("doc", "word ".repeat(3000), 100)));
        assertEquals(LlmException.Kind.CONTEXT_LENGTH_EXCEEDED, e.kind());
        assertTrue(e.getMessage().contains("maximum context length is 2048"), e.getMessage());
        assertNotNull(e.refusal(), "the server's numbers are read, for the splitter");
    }

    @Test
    void aServerErrorOnALineIsRetriedInTheNextBatch() {
        batches.failNextLines(1);
        LlmReply reply = client(null).complete(call("doc", "A short text to summarize.", 50));
        assertTrue(reply.batch());
        assertEquals(2, batches.created().size());
        assertEquals(batches.created().get(0).customIds(), batches.created().get(1).customIds());
        assertEquals(List.of(500, 200), batches.ran().stream().map(FakeBatchApi.Line::status).toList());
    }

    @Test
    void linesOfAnExpiredBatchAreSentAgain() throws Exception {
        batches.expireNext();
        BatchClient client = client(null);
        List<LlmReply> replies = callAll(client, 4);
        assertEquals(4, replies.size());
        assertEquals(2, batches.created().size());
        assertEquals("expired", batches.created().get(0).status());
        assertEquals(2, batches.created().get(1).customIds().size(), "only the lines that did not run");
    }

    @Test
    void aBatchOverTheEnqueuedTokenQuotaWaitsForTheEarlierOne() throws Exception {
        BatchClient client = client(null);
        batches.hold(true);
        batches.enqueuedTokenLimit(400);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<LlmReply> first = pool.submit(() -> client.complete(call("a", "First text " + "x ".repeat(100), 100)));
            await().atMost(Duration.ofSeconds(10)).until(() -> batches.created().size() == 1);
            Future<LlmReply> second = pool.submit(() -> client.complete(call("b", "Second text " + "y ".repeat(100), 100)));
            await().atMost(Duration.ofSeconds(10)).until(() -> batches.created().size() == 2);
            assertEquals("failed", await().atMost(Duration.ofSeconds(10)).until(
                    () -> batches.created().get(1).status(), s -> s.equals("failed")));
            await("nothing is sent while the earlier batch holds the quota").during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(3)).until(() -> batches.created().size() == 2);
            batches.hold(false);
            assertTrue(first.get().batch());
            assertTrue(second.get().batch());
        }
        assertEquals(3, batches.created().size());
        assertEquals(batches.created().get(1).customIds(), batches.created().get(2).customIds());
    }

    @Test
    void aFileLargerThanTheWholeQuotaIsCutToFitIt() throws Exception {
        batches.enqueuedTokenLimit(500);
        List<LlmReply> replies = callAll(client(null), 10);
        assertEquals(10, replies.size());
        long refused = batches.created().stream().filter(c -> c.status().equals("failed")).count();
        assertTrue(refused >= 1 && refused <= 2, "the quota is learnt from the first refusal: " + batches.created());
        assertTrue(batches.created().stream().filter(c -> !c.status().equals("failed")).count() >= 2,
                "the rest went in files within the quota");
    }

    @Test
    void aRestartedClientWaitsForTheBatchItAlreadyHas() throws Exception {
        batches.hold(true);
        BatchClient first = client(null);
        Thread waiting = Thread.ofVirtual().start(() -> {
            try {
                first.complete(call("doc", "A text that is in a batch when the worker stops.", 50));
            } catch (LlmException expected) {
                // interrupted below, as a killed worker's thread would be gone
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> batches.created().size() == 1);
        first.close();
        waiting.interrupt();
        assertEquals(1, ledger.open("fake").size(), "the ledger holds the pending batch");

        BatchClient second = client(null);
        batches.hold(false);
        LlmReply reply = second.complete(call("doc", "A text that is in a batch when the worker stops.", 50));
        assertTrue(reply.batch());
        assertEquals(1, batches.created().size(), "no batch was submitted twice");
    }

    @Test
    void atTheDeadlineWhatIsPendingGoesOnline() {
        batches.hold(true);
        BatchClient client = client(Instant.now().plusMillis(1500));
        LlmReply reply = client.complete(call("doc", "A text whose batch does not finish in time.", 50));
        assertFalse(reply.batch(), "answered online");
        await().atMost(Duration.ofSeconds(10)).until(() -> batches.created().get(0).status().equals("cancelled"));
        await().atMost(Duration.ofSeconds(5)).until(() -> client.pendingBatches() == 0);
        assertEquals(1, onlineCalls.get(), "the cancelled batch's unrun line is not sent online a second time");
    }

    @Test
    void aBatchThatFailsValidationFailsItsDocumentsWithTheProvidersReason() {
        batches.failValidationNext();
        LlmException e = assertThrows(LlmException.class,
                () -> client(null).complete(call("doc", "A text in a file the provider refuses.", 50)));
        assertEquals(LlmException.Kind.REJECTED, e.kind());
        assertTrue(e.getMessage().contains("invalid_json_line: This line is not parseable as valid JSON. (line 1)"),
                e.getMessage());
    }

    @Test
    void atTheDeadlineWithWaitPendingRequestsKeepWaiting() throws Exception {
        batches.hold(true);
        BatchClient client = client(Instant.now().plusMillis(500), false);
        Future<LlmReply> reply;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            reply = pool.submit(() -> client.complete(call("doc", "A text that may take all night.", 50)));
            await("still waiting past the deadline").during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                    .until(() -> !reply.isDone());
            batches.hold(false);
            assertTrue(reply.get().batch());
        }
        assertEquals(0, onlineCalls.get());
    }

    @Test
    void aChunkTheProviderRefusesAsTooLongIsSplitAndSentInTheNextBatch() {
        // The worker believes in a 4096-token window; the provider serves 2048.
        dev.precis.chunking.ModelProfile believed = new dev.precis.chunking.ModelProfile("fake", 4096, 512, "o200k_base", 64);
        dev.precis.chunking.TokenCounter counter = dev.precis.chunking.JtokkitTokenCounter.forEncoding("o200k_base");
        var summarizer = new dev.precis.summarize.LlmSummarizer(client(null),
                new dev.precis.llm.ServerWindow(believed, dev.precis.llm.ModelServer.NONE, true), counter);
        var summary = summarizer.summarize(new dev.precis.summarize.SummaryRequest("long", null, "en",
                dev.precis.support.TestDocs.english(900, 3), 150));
        assertFalse(summary.text().isBlank());
        List<FakeBatchApi.Line> ran = batches.ran();
        assertTrue(ran.stream().anyMatch(l -> l.status() == 400), "the provider refused a chunk");
        assertEquals(1, ran.stream().filter(l -> l.status() == 400).map(FakeBatchApi.Line::batchId).distinct().count(),
                "only the first round is refused; what is sent after the refusal fits: " + ran);
        assertTrue(batches.created().size() >= 3, "map, the split parts, then the combining call");
    }

    private List<LlmReply> callAll(BatchClient client, int n) throws Exception {
        List<LlmReply> out = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<LlmReply>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                futures.add(pool.submit(() -> client.complete(call("doc-" + k, "Document number " + k
                        + " talks about batches and their answers at some length.", 60))));
            }
            for (Future<LlmReply> f : futures) {
                out.add(f.get());
            }
        }
        return out;
    }

    private static LlmCall call(String doc, String text, int max) {
        return new LlmCall("map", "Summarize.", "<document>\n" + text + "\n</document>", max, -1,
                dev.precis.llm.TokenSink.NONE, doc);
    }

    private BatchClient client(Instant deadline) {
        return client(deadline, true);
    }

    private BatchClient client(Instant deadline, boolean onlineAtDeadline) {
        BatchSettings settings = new BatchSettings(Duration.ofMillis(200), Duration.ofSeconds(1), 50_000, 190_000_000,
                0, Duration.ofMillis(100), deadline, onlineAtDeadline, false, 3, Duration.ofSeconds(1));
        LlmClient online = new LlmClient() {
            @Override
            public LlmReply complete(LlmCall call) {
                onlineCalls.incrementAndGet();
                return new LlmReply("online answer", 10, 3, false);
            }

            @Override
            public String model() {
                return "fake";
            }
        };
        BatchClient c = new BatchClient("fake", "v1", new OpenAiBatchApi(provider.baseUrl(), "fake", "sk-test", null,
                "24h", Duration.ofSeconds(10)), ledger, store, online, settings, BatchClient.Listener.NONE, Instant::now);
        clients.add(c);
        return c;
    }

    /** The ledger's contract in memory; the Kafka one is exercised by the worker's restart test. */
    static final class MemoryLedger implements BatchLedger {
        private final Map<String, Entry> entries = new LinkedHashMap<>();

        @Override
        public synchronized void sealed(String tag, String model, Map<String, String> documentsByRequest) {
            entries.put(tag, new Entry(tag, model, null, Instant.now(), Map.copyOf(documentsByRequest)));
        }

        @Override
        public synchronized void created(String tag, String model, String batchId) {
            Entry e = entries.get(tag);
            entries.put(tag, new Entry(tag, model, batchId, e.sealedAt(), e.documentsByRequest()));
        }

        @Override
        public synchronized void finished(String tag, String model, Collection<String> requests) {
            entries.remove(tag);
        }

        @Override
        public synchronized List<Entry> open(String model) {
            return entries.values().stream().filter(e -> e.model().equals(model)).toList();
        }
    }
}
