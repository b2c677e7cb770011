package dev.precis.summarize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.precis.chunking.Chunk;
import dev.precis.chunking.JtokkitTokenCounter;
import dev.precis.chunking.ModelProfile;
import dev.precis.chunking.TextSplitter;
import dev.precis.chunking.TokenCounter;
import dev.precis.llm.LlmCall;
import dev.precis.support.TestDocs;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties over generated documents, from one token to more than 100 context windows, in several
 * scripts and markdown shapes, with adversarial inputs: no request over the window, nothing lost,
 * chunks filled well, collapse bounded.
 */
class StrategyPropertiesTest {

    private static final int WINDOW = 1024;
    private final TokenCounter counter = JtokkitTokenCounter.forEncoding("o200k_base");
    private final ModelProfile profile = new ModelProfile("small", WINDOW, 256, "o200k_base", 32);

    @Test
    void noRequestExceedsTheWindowAndCollapseIsBoundedForAnyDocument() {
        Random random = new Random(20261129);
        double fillSum = 0;
        int fillCount = 0;
        for (int i = 0; i < 40; i++) {
            String text = generate(random, i);
            StrategyChoice choice = StrategyChoice.values()[random.nextInt(StrategyChoice.values().length)];
            ScriptedLlm llm = new ScriptedLlm(counter, WINDOW);
            Summary s = new LlmSummarizer(llm, profile, counter, random.nextInt(3) * 40)
                    .summarize(new SummaryRequest("d" + i, "T", null, text, 16 + random.nextInt(200), choice));
            assertTrue(llm.rejected.isEmpty(), "request over the window for document " + i);
            for (LlmCall c : llm.accepted) {
                assertTrue(llm.promptTokens(c) + c.maxOutputTokens() <= WINDOW, "document " + i);
            }
            assertFalse(s.text().isBlank());
            assertEquals(llm.accepted.size(), s.usage().llmCalls());
            long collapses = llm.accepted.stream().filter(c -> c.stage().equals("collapse")).count();
            assertTrue(collapses <= s.chunks(), "collapse calls " + collapses + " for " + s.chunks() + " chunks");
            // Share of the usable window (context minus margin) that a map request takes, prompt plus output.
            List<Integer> mapSizes = llm.accepted.stream().filter(c -> c.stage().equals("map"))
                    .map(c -> llm.promptTokens(c) + c.maxOutputTokens()).toList();
            if (s.strategy() == Strategy.MAP_REDUCE && mapSizes.size() > 2) {
                fillSum += mapSizes.subList(0, mapSizes.size() - 1).stream().mapToInt(x -> x).average().orElse(0);
                fillCount++;
            }
        }
        double meanFill = fillSum / fillCount / (WINDOW - profile.marginTokens());
        System.out.printf("map requests fill %.1f%% of the usable window on average, over %d long documents%n",
                100 * meanFill, fillCount);
        assertTrue(meanFill >= 0.9, "map requests use only " + meanFill + " of the window");
    }

    @Test
    void whenTheProviderCountsMoreOnlyTheRejectedRequestsAreSplitAndNothingIsPaidTwice() {
        Random random = new Random(99);
        for (int i = 0; i < 15; i++) {
            String text = generate(random, i);
            // The profile says 1024 tokens, the provider takes 880.
            ScriptedLlm llm = new ScriptedLlm(counter, 880);
            StrategyChoice choice = i % 2 == 0 ? StrategyChoice.MAP_REDUCE : StrategyChoice.REFINE;
            Summary s = new LlmSummarizer(llm, profile, counter)
                    .summarize(new SummaryRequest("d" + i, "T", null, text, 16 + random.nextInt(200), choice));
            assertFalse(s.text().isBlank());
            java.util.Set<String> rejected = new java.util.HashSet<>();
            llm.rejected.forEach(c -> rejected.add(c.system() + c.user()));
            java.util.Set<String> accepted = new java.util.HashSet<>();
            for (LlmCall c : llm.accepted) {
                assertFalse(rejected.contains(c.system() + c.user()), "a rejected request was resent, document " + i);
                assertTrue(accepted.add(c.system() + c.user() + c.stage()) || c.stage().equals("collapse"),
                        "the same request was paid twice, document " + i);
            }
            // Only requests already in flight when the first rejection came back can be rejected.
            assertTrue(llm.rejected.size() <= 3 + s.chunks(), "rejections " + llm.rejected.size());
        }
    }

    @Test
    void everyCharacterLandsInAChunkForAnyDocumentAndBudget() {
        Random random = new Random(7);
        TextSplitter splitter = new TextSplitter(counter);
        for (int i = 0; i < 60; i++) {
            String text = generate(random, i);
            int budget = TextSplitter.MIN_BUDGET + random.nextInt(900);
            int overlap = random.nextInt(budget / 2 + 1);
            List<Chunk> chunks = splitter.split(text, budget, overlap);
            StringBuilder joined = new StringBuilder();
            for (Chunk c : chunks) {
                assertTrue(c.tokens() <= budget && counter.count(c.text()) == c.tokens(), "document " + i);
                joined.append(c.newText());
            }
            assertEquals(text, joined.toString(), "document " + i);
        }
    }

    /** Random sizes (a token to 100+ windows), scripts and shapes, including hostile ones. */
    private static String generate(Random random, int i) {
        int sentences = switch (i % 5) {
            case 0 -> 1;
            case 1 -> 1 + random.nextInt(20);
            case 2 -> 50 + random.nextInt(300);
            case 3 -> 9000 + random.nextInt(3000); // over 100 windows
            default -> random.nextInt(800);
        };
        return switch (random.nextInt(7)) {
            case 0 -> TestDocs.english(sentences, random.nextLong());
            case 1 -> TestDocs.korean(sentences, random.nextLong());
            case 2 -> TestDocs.japanese(sentences, random.nextLong());
            case 3 -> "# Title\n\n- item one\n- item two\n\n```\ncode line\n\ncode line\n```\n\n"
                    + TestDocs.english(sentences, random.nextLong());
            case 4 -> TestDocs.english(sentences, random.nextLong()).replace("\n", " "); // one giant line
            case 5 -> "x".repeat(1 + random.nextInt(20 * sentences + 1)); // one giant word
            default -> "https://example.org/" + "a1/".repeat(1 + random.nextInt(10 * sentences + 1))
                    + " " + "😀".repeat(random.nextInt(50) + 1);
        };
    }
}
