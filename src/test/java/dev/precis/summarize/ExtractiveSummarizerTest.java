package dev.precis.summarize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.precis.chunking.JtokkitTokenCounter;
import dev.precis.chunking.Sentences;
import dev.precis.chunking.TokenCounter;
import dev.precis.support.TestDocs;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExtractiveSummarizerTest {

    private final TokenCounter counter = JtokkitTokenCounter.forEncoding("o200k_base");
    private final ExtractiveSummarizer summarizer = new ExtractiveSummarizer(counter);

    @Test
    void staysWithinEveryBudgetAndIsDeterministic() {
        for (String text : List.of(TestDocs.english(500, 1), TestDocs.korean(200, 2), TestDocs.japanese(100, 3))) {
            for (int budget : new int[] {16, 40, 80, 200, 400}) {
                Summary a = summarizer.summarize(new SummaryRequest("d", null, null, text, budget));
                Summary b = summarizer.summarize(new SummaryRequest("d", null, null, text, budget));
                assertTrue(counter.count(a.text()) <= budget, counter.count(a.text()) + " > " + budget);
                assertEquals(a, b);
                assertEquals(Strategy.EXTRACTIVE, a.strategy());
            }
        }
    }

    @Test
    void keepsDocumentOrderAndPrefersCentralSentences() {
        String text = "Solar panels on the school roof cut its energy bill. The bill fell by a third. "
                + "The cafeteria menu changed in May. Solar panels also power the school library. "
                + "Energy savings from the solar panels paid for new books.";
        Summary s = summarizer.summarize(new SummaryRequest("d", null, null, text, 30));
        List<String> picked = Sentences.of(s.text()).stream().map(b -> b.substring(2)).toList();
        assertTrue(s.text().lines().allMatch(line -> line.startsWith("- ")), "markdown bullets: " + s.text());
        List<String> all = Sentences.of(text);
        assertTrue(picked.size() >= 1);
        assertTrue(all.indexOf(picked.getFirst()) <= all.indexOf(picked.getLast()));
        assertTrue(!s.text().contains("cafeteria"), s.text());
    }

    @Test
    void shortensASingleSentenceLongerThanTheBudget() {
        String text = "word ".repeat(500).strip() + ".";
        Summary s = summarizer.summarize(new SummaryRequest("d", null, null, text, 20));
        assertTrue(counter.count(s.text()) <= 20);
        assertTrue(s.text().endsWith("…"));
    }
}
