package dev.precis.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.precis.chunking.Chunk;
import dev.precis.chunking.JtokkitTokenCounter;
import dev.precis.chunking.ModelProfile;
import dev.precis.chunking.TextSplitter;
import dev.precis.chunking.TokenCounter;
import dev.precis.llm.LlmCall;
import dev.precis.llm.LlmClient;
import dev.precis.llm.LlmReply;
import dev.precis.summarize.LlmSummarizer;
import dev.precis.summarize.Summary;
import dev.precis.summarize.SummaryRequest;
import dev.precis.support.TestDocs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chunking benchmark, a plain harness run by {@code ./mvnw -Pbench ...} (see README): raw jtokkit
 * encoding throughput, the splitter's throughput as a ratio to it (same text, same run), mean chunk
 * fill, and the LLM input tokens spent on a long document as a ratio to its own tokens.
 * Optional system property {@code bench.corpus}: a JSONL file whose lines carry a "source" array of
 * sentences (such as SciTLDR); without it the text is generated.
 */
public final class ChunkingBenchmark {

    private static final int ROUNDS = 7;

    public static void main(String[] args) throws IOException {
        String text = corpus(System.getProperty("bench.corpus"), 1_300_000);
        Encoding raw = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
        TokenCounter counter = JtokkitTokenCounter.forEncoding("o200k_base");
        TextSplitter splitter = new TextSplitter(counter);
        int tokens = counter.count(text);
        System.out.printf("corpus: %,d chars, %,d tokens (o200k_base)%n", text.length(), tokens);

        for (int budget : new int[] {500, 2_000, 8_000}) {
            // Raw encoding and splitting alternate in each round, so both see the same machine state.
            double[] pair = medianPair(() -> raw.encodeOrdinary(text), () -> splitter.split(text, budget));
            List<Chunk> chunks = splitter.split(text, budget);
            System.out.printf("budget %,5d: raw jtokkit encode %.0f ms (%.2f MB/s), splitter %.0f ms (%.2f MB/s), "
                    + "splitter/raw throughput %.2f; %d chunks, mean fill %.1f%% (all but the last chunk %.1f%%)%n",
                    budget, pair[0], mbPerSec(text, pair[0]), pair[1], mbPerSec(text, pair[1]), pair[0] / pair[1],
                    chunks.size(), 100 * fill(chunks, budget, false), 100 * fill(chunks, budget, true));
        }

        String longDoc = text;
        for (ModelProfile profile : List.of(new ModelProfile("8k-local-model", 8_192, 2_048, "o200k_base", 64),
                new ModelProfile("gpt-4o-mini", 128_000, 16_384, "o200k_base", 64))) {
            EchoModel model = new EchoModel(counter);
            Summary s = new LlmSummarizer(model, profile, counter)
                    .summarize(new SummaryRequest("bench", "Benchmark", "en", longDoc, 300));
            int docTokens = counter.count(longDoc);
            System.out.printf("long document of %,d tokens on %s: %s, %d chunks, %d calls, LLM input %,d tokens = "
                    + "%.3f x the document, map-call fill %.1f%%%n", docTokens, profile.model(), s.strategy(),
                    s.chunks(), s.usage().llmCalls(), s.usage().inputTokens(),
                    s.usage().inputTokens() / (double) docTokens, 100 * model.mapFill(profile));
        }
    }

    private static double fill(List<Chunk> chunks, int budget, boolean skipLast) {
        List<Chunk> counted = skipLast && chunks.size() > 1 ? chunks.subList(0, chunks.size() - 1) : chunks;
        return counted.stream().mapToInt(Chunk::tokens).average().orElse(0) / budget;
    }

    private static double mbPerSec(String text, double ms) {
        return text.length() / 1e6 / (ms / 1000);
    }

    /** Median milliseconds of two workloads, measured alternately after a warm-up of each. */
    private static double[] medianPair(Runnable a, Runnable b) {
        for (int i = 0; i < 3; i++) {
            a.run();
            b.run();
        }
        double[] msA = new double[ROUNDS];
        double[] msB = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            msA[i] = millis(a);
            msB[i] = millis(b);
        }
        Arrays.sort(msA);
        Arrays.sort(msB);
        return new double[] {msA[ROUNDS / 2], msB[ROUNDS / 2]};
    }

    private static double millis(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e6;
    }

    private static String corpus(String path, int minChars) throws IOException {
        StringBuilder sb = new StringBuilder();
        if (path != null && Files.exists(Path.of(path))) {
            ObjectMapper json = new ObjectMapper();
            while (sb.length() < minChars) {
                for (String line : Files.readAllLines(Path.of(path))) {
                    JsonNode source = json.readTree(line).path("source");
                    List<String> sentences = new ArrayList<>();
                    source.forEach(s -> sentences.add(s.asText()));
                    sb.append(String.join(" ", sentences)).append("\n\n");
                }
            }
            return sb.toString();
        }
        for (long seed = 0; sb.length() < minChars; seed++) {
            sb.append(TestDocs.english(40, seed)).append("\n\n## Section ").append(seed).append("\n\n")
                    .append(seed % 5 == 0 ? TestDocs.korean(20, seed) + "\n\n" : "");
        }
        return sb.toString();
    }

    /** A model that answers instantly with the right number of tokens and records map-call sizes. */
    private static final class EchoModel implements LlmClient {
        private final TokenCounter counter;
        private final AtomicLong mapPromptTokens = new AtomicLong();
        private final AtomicLong mapCalls = new AtomicLong();

        EchoModel(TokenCounter counter) {
            this.counter = counter;
        }

        @Override
        public LlmReply complete(LlmCall call) {
            int prompt = counter.count(call.system()) + counter.count(call.user()) + 11;
            if (call.stage().equals("map")) {
                mapPromptTokens.addAndGet(prompt);
                mapCalls.incrementAndGet();
            }
            String answer = "summary ".repeat(Math.max(1, call.maxOutputTokens() / 2)).strip();
            return new LlmReply(answer, prompt, counter.count(answer), false);
        }

        double mapFill(ModelProfile profile) {
            return mapCalls.get() == 0 ? 0 : mapPromptTokens.get() / (double) mapCalls.get() / profile.contextWindow();
        }

        @Override
        public String model() {
            return "echo";
        }
    }
}
