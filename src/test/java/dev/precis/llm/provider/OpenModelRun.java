package dev.precis.llm.provider;

import dev.precis.chunking.JtokkitTokenCounter;
import dev.precis.chunking.ModelProfile;
import dev.precis.chunking.TokenCounter;
import dev.precis.eval.OpenAiHttpClient;
import dev.precis.llm.ServerWindow;
import dev.precis.llm.TruncationCheck;
import dev.precis.summarize.LlmSummarizer;
import dev.precis.summarize.StageTimer;
import dev.precis.summarize.StrategyChoice;
import dev.precis.summarize.Summary;
import dev.precis.summarize.SummaryRequest;
import dev.precis.support.TestDocs;
import dev.precis.support.servers.FakeOpenModelServer.Outcome;
import dev.precis.support.servers.FakeOpenModelServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Summarizes a set of long documents (English and Korean) through an OpenAI-compatible client against a
 * fake open-model server, several documents at once as the worker does, and tells what happened:
 * documents summarized, calls, refusals, truncations detected, and whether any answer from a
 * truncated prompt reached a later prompt or a summary.
 */
record OpenModelRun(int documents, List<Summary> summaries, List<String> failures, long calls, long refused,
        long truncated, long truncatedUsed, ServerWindow window) {

    private static final TokenCounter COUNTER = JtokkitTokenCounter.forEncoding("o200k_base");

    /** Ten long documents: five English of 3,000 to 12,000 tokens, five Korean of 2,500 to 9,000. */
    static List<String> longDocuments() {
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            docs.add(TestDocs.english(300 + 220 * i, 100 + i));
            docs.add(TestDocs.korean(180 + 150 * i, 200 + i));
        }
        return docs;
    }

    static OpenModelRun of(FakeOpenModelServer server, ModelProfile configured, List<String> docs) throws Exception {
        ServerWindow window = new ServerWindow(configured,
                new OpenAiCompatibleServer(server.baseUrl(), server.modelName(), null, Duration.ofSeconds(30)), false);
        LlmSummarizer summarizer = new LlmSummarizer(new TruncationCheck(new OpenAiHttpClient(server.baseUrl(), server.modelName(), null),
                window, COUNTER), window, COUNTER, 0,
                StageTimer.NONE, Executors::newVirtualThreadPerTaskExecutor);
        List<Summary> summaries = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<Summary>> futures = new ArrayList<>();
            for (int i = 0; i < docs.size(); i++) {
                SummaryRequest request = new SummaryRequest("doc-" + i, null, null, docs.get(i), 150, StrategyChoice.AUTO);
                futures.add(pool.submit(() -> summarizer.summarize(request)));
            }
            for (Future<Summary> f : futures) {
                try {
                    summaries.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(String.valueOf(e.getCause()));
                }
            }
        }
        long used = server.truncatedAnswersUsed(summaries.stream().map(Summary::text).toList());
        return new OpenModelRun(docs.size(), summaries, failures, server.chats().size(), server.count(Outcome.REFUSED),
                server.count(Outcome.TRUNCATED), used, window);
    }

    /** One line of figures for the log and the closing note. */
    String figures(String name) {
        return String.format("%s: %d of %d documents summarized, %d calls, %d refused for the window, %d truncated "
                + "(detected %d, used %d); window %s", name, summaries.size(), documents, calls, refused, truncated,
                window.truncatedCalls(), truncatedUsed, window.describe());
    }
}
