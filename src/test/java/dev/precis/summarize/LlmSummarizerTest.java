package dev.precis.summarize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.precis.chunking.JtokkitTokenCounter;
import dev.precis.chunking.ModelProfile;
import dev.precis.chunking.TokenCounter;
import dev.precis.llm.LlmCall;
import dev.precis.support.TestDocs;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LlmSummarizerTest {

    private final TokenCounter counter = JtokkitTokenCounter.forEncoding("o200k_base");
    private final ModelProfile profile = new ModelProfile("small", 1024, 512, "o200k_base", 32);

    @Test
    void aShortDocumentIsOneCall() {
        ScriptedLlm llm = new ScriptedLlm(counter, 1024);
        Summary s = new LlmSummarizer(llm, profile, counter).summarize(request(TestDocs.english(5, 1), 100));
        assertEquals(Strategy.STUFF, s.strategy());
        assertEquals(1, s.usage().llmCalls());
        assertEquals(1, llm.accepted.size());
        assertFalse(s.text().isBlank());
    }

    @Test
    void aDocumentFarBeyondTheWindowCollapsesLevelByLevelWithinTheWindow() {
        ScriptedLlm llm = new ScriptedLlm(counter, 1024);
        Summary s = new LlmSummarizer(llm, profile, counter).summarize(request(TestDocs.english(4000, 2), 120));
        assertEquals(Strategy.MAP_REDUCE, s.strategy());
        assertTrue(s.chunks() > 50, "chunks " + s.chunks());
        assertTrue(llm.rejected.isEmpty());
        assertEquals(llm.accepted.size(), s.usage().llmCalls());
        long reduceLevels = llm.accepted.stream().filter(c -> c.stage().equals("collapse")).count();
        assertTrue(reduceLevels > 0, "expected at least one intermediate collapse");
        assertEquals(1, llm.accepted.stream().filter(c -> c.stage().equals("reduce")).count());
        for (LlmCall c : llm.accepted) {
            assertTrue(llm.promptTokens(c) + c.maxOutputTokens() <= 1024);
        }
    }

    @Test
    void mapCallsAskForTheOutputAPartialNeedsNotTheLargestAllowed() {
        ScriptedLlm llm = new ScriptedLlm(counter, 1024);
        Summary s = new LlmSummarizer(llm, profile, counter).summarize(request(TestDocs.english(4000, 2), 120));
        List<LlmCall> maps = llm.accepted.stream().filter(c -> c.stage().equals("map")).toList();
        assertTrue(maps.size() > 50, "maps " + maps.size());
        // Together the partials carry about four final summaries, and no partial less than 64 tokens.
        int expected = Math.max(64, (int) Math.ceil(4.0 * 120 / maps.size()));
        assertTrue(maps.stream().allMatch(c -> c.maxOutputTokens() <= expected && c.maxOutputTokens() >= 32),
                "map caps " + maps.stream().map(LlmCall::maxOutputTokens).distinct().toList() + ", expected " + expected);
        assertFalse(s.text().isBlank());
        ScriptedLlm two = new ScriptedLlm(counter, 1024);
        new LlmSummarizer(two, profile, counter).summarize(request(TestDocs.english(60, 3), 120));
        List<LlmCall> fewMaps = two.accepted.stream().filter(c -> c.stage().equals("map")).toList();
        assertTrue(fewMaps.size() >= 2 && fewMaps.size() <= 4, "maps " + fewMaps.size());
        assertTrue(fewMaps.stream().anyMatch(c -> c.maxOutputTokens() > expected),
                "a document of a few chunks gives each partial more room");
    }

    @Test
    void whenTheProviderCountsMoreItSplitsFurtherAndNeverResendsARejectedRequest() {
        // The profile claims 1024 tokens but the provider only takes 900.
        ScriptedLlm llm = new ScriptedLlm(counter, 900);
        LlmSummarizer summarizer = new LlmSummarizer(llm, profile, counter);
        Summary s = summarizer.summarize(request(TestDocs.english(60, 3), 100));
        assertFalse(llm.rejected.isEmpty());
        Set<String> rejectedPrompts = new HashSet<>();
        llm.rejected.forEach(c -> rejectedPrompts.add(c.user()));
        assertTrue(llm.accepted.stream().noneMatch(c -> rejectedPrompts.contains(c.user())));
        assertFalse(s.text().isBlank());
        int rejectedBefore = llm.rejected.size();
        summarizer.summarize(request(TestDocs.english(60, 4), 100));
        assertEquals(rejectedBefore, llm.rejected.size(), "the widened margin is kept for later documents");
    }

    @Test
    void refineUpdatesOneRunningSummaryInDocumentOrder() {
        ScriptedLlm llm = new ScriptedLlm(counter, 1024);
        Summary s = new LlmSummarizer(llm, profile, counter).summarize(new SummaryRequest("d", "T", "en",
                TestDocs.english(300, 5), 150, StrategyChoice.REFINE));
        assertEquals(Strategy.REFINE, s.strategy());
        assertTrue(s.chunks() > 3);
        assertEquals(s.chunks() - 1, llm.accepted.stream().filter(c -> c.stage().equals("refine")).count());
        assertTrue(llm.rejected.isEmpty());
        for (LlmCall c : llm.accepted) {
            assertTrue(llm.promptTokens(c) + c.maxOutputTokens() <= 1024);
        }
    }

    @Test
    void stuffAskedForALongDocumentFallsBackToMapReduceWithAWarning() {
        ScriptedLlm llm = new ScriptedLlm(counter, 1024);
        Summary s = new LlmSummarizer(llm, profile, counter).summarize(new SummaryRequest("d", "T", "en",
                TestDocs.english(300, 6), 150, StrategyChoice.STUFF));
        assertEquals(Strategy.MAP_REDUCE, s.strategy());
        assertTrue(s.warnings().getFirst().contains("stuff"));
        Summary small = new LlmSummarizer(llm, profile, counter).summarize(new SummaryRequest("d", "T", "en",
                TestDocs.english(3, 6), 150, StrategyChoice.REFINE));
        assertEquals(Strategy.STUFF, small.strategy());
    }

    @Test
    void anAnswerCutAtTheOutputLimitIsAskedForAgainWithATighterLimitThenFlagged() {
        ScriptedLlm llm = new ScriptedLlm(counter, 1024);
        llm.truncateMarker = "CUT-ME";
        Summary s = new LlmSummarizer(llm, profile, counter).summarize(request("CUT-ME " + TestDocs.english(5, 7), 100));
        assertEquals(2, llm.accepted.size());
        assertTrue(llm.accepted.get(0).system().contains("at most 60 words"));
        assertTrue(llm.accepted.get(1).system().contains("at most 30 words"));
        assertEquals(2, s.usage().llmCalls());
        assertTrue(s.warnings().getFirst().contains("output limit"));
    }

    @Test
    void namedLengthsAndMaxSummaryTokensCapTheFinalAnswer() {
        for (int max : new int[] {SummaryLength.SHORT.maxTokens(), SummaryLength.MEDIUM.maxTokens(),
                SummaryLength.LONG.maxTokens(), 37}) {
            for (String text : List.of(TestDocs.english(5, 8), TestDocs.english(400, 9))) {
                ScriptedLlm llm = new ScriptedLlm(counter, 1024);
                Summary s = new LlmSummarizer(llm, profile, counter).summarize(request(text, max));
                LlmCall last = llm.accepted.getLast();
                assertEquals(max, last.maxOutputTokens(), "the final call is capped at the asked length");
                assertTrue(counter.count(s.text()) <= max);
            }
        }
    }

    @Test
    void aFailedSummaryStillReportsWhatItsCallsCost() {
        ScriptedLlm llm = new ScriptedLlm(counter, 1024);
        llm.failMarker = "Part 7 fails";
        String text = TestDocs.english(150, 10) + "\n\nPart 7 fails here.\n\n" + TestDocs.english(150, 11);
        SummaryFailedException e = org.junit.jupiter.api.Assertions.assertThrows(SummaryFailedException.class,
                () -> new LlmSummarizer(llm, profile, counter).summarize(request(text, 100)));
        assertEquals(llm.accepted.size(), e.usage().llmCalls());
        assertTrue(e.usage().inputTokens() > 0);
    }

    private static SummaryRequest request(String text, int maxTokens) {
        return new SummaryRequest("d", "Title", "en", text, maxTokens);
    }
}
