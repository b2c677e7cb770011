package dev.precis.chunking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.precis.support.TestDocs;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TextSplitterTest {

    private static final String BLOB = "data:image/png;base64," + "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ".repeat(200);
    private static final String URLS = "https://example.com/a/very/long/path?with=query&and=more".repeat(120);
    private static final String MARKDOWN = """
            # Quarterly report

            Revenue grew in every region. Costs fell slightly.

            - first item of a list
            - second item, a little longer than the first one

            ```java
            int a = 1;

            int b = 2;
            ```

            ## Outlook
            The board expects growth! Will it last? Nobody knows…
            """;

    static Stream<Arguments> texts() {
        return Stream.of("o200k_base", "cl100k_base").flatMap(enc -> Stream.of(
                Arguments.of(enc, "english", TestDocs.english(300, 1)),
                Arguments.of(enc, "korean", TestDocs.korean(200, 2)),
                Arguments.of(enc, "japanese", TestDocs.japanese(200, 3)),
                Arguments.of(enc, "chinese", "委员会审查了预算。“这是真的吗？”他问道。研究小组提出了新方法！".repeat(40)),
                Arguments.of(enc, "markdown", MARKDOWN.repeat(20)),
                Arguments.of(enc, "blob", "Intro sentence. " + BLOB + " Closing sentence."),
                Arguments.of(enc, "urls", URLS),
                Arguments.of(enc, "emoji", "😀👍🏽🇰🇷 family 👨‍👩‍👧‍👦 ".repeat(300))));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("texts")
    void noChunkExceedsTheBudgetAndNothingIsLost(String encoding, String name, String text) {
        TokenCounter counter = JtokkitTokenCounter.forEncoding(encoding);
        TextSplitter splitter = new TextSplitter(counter);
        for (int budget : new int[] {TextSplitter.MIN_BUDGET, 13, 50, 333, 2000}) {
            List<Chunk> chunks = splitter.split(text, budget);
            StringBuilder joined = new StringBuilder();
            for (Chunk c : chunks) {
                assertTrue(c.tokens() <= budget, name + ": chunk of " + c.tokens() + " > " + budget);
                assertEquals(counter.count(c.text()), c.tokens(), "reported count is exact");
                assertTrue(!c.text().isEmpty());
                joined.append(c.text());
            }
            assertEquals(text, joined.toString(), name + " at budget " + budget);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("texts")
    void overlappingChunksRepeatOnlyTheirPrefixAndStayWithinBudget(String encoding, String name, String text) {
        TokenCounter counter = JtokkitTokenCounter.forEncoding(encoding);
        List<Chunk> chunks = new TextSplitter(counter).split(text, 120, 30);
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            assertTrue(c.tokens() <= 120, name);
            if (i > 0) {
                assertTrue(chunks.get(i - 1).text().endsWith(c.text().substring(0, c.overlapChars())), name);
                assertTrue(counter.count(c.text().substring(0, c.overlapChars())) <= 30, name);
            } else {
                assertEquals(0, c.overlapChars());
            }
            joined.append(c.newText());
        }
        assertEquals(text, joined.toString(), name);
    }

    @Test
    void fillsChunksCloseToTheBudgetEvenWithLongParagraphs() {
        TokenCounter counter = JtokkitTokenCounter.forEncoding("o200k_base");
        // Paragraphs of about 300 tokens against a budget of 500: whole paragraphs alone would fill ~60%.
        String text = String.join("\n\n", java.util.stream.IntStream.range(0, 60)
                .mapToObj(i -> TestDocs.english(25, i).replace("\n\n", " ")).toList());
        List<Chunk> chunks = new TextSplitter(counter).split(text, 500);
        double fill = chunks.subList(0, chunks.size() - 1).stream().mapToInt(Chunk::tokens).average().orElseThrow();
        assertTrue(fill >= 0.9 * 500, "average fill " + fill);
    }

    @Test
    void fillsChunksCloseToTheBudget() {
        TokenCounter counter = JtokkitTokenCounter.forEncoding("o200k_base");
        List<Chunk> chunks = new TextSplitter(counter).split(TestDocs.english(2000, 5), 500);
        double fill = chunks.subList(0, chunks.size() - 1).stream().mapToInt(Chunk::tokens).average().orElseThrow();
        assertTrue(fill >= 450, "average fill " + fill);
    }

    @Test
    void keepsAFencedCodeBlockWholeWhenItFits() {
        TokenCounter counter = JtokkitTokenCounter.forEncoding("o200k_base");
        int budget = counter.count(MARKDOWN) / 2;
        List<Chunk> chunks = new TextSplitter(counter).split(MARKDOWN, budget);
        assertTrue(chunks.size() > 1);
        assertTrue(chunks.stream().anyMatch(c -> c.text().contains("int a = 1;\n\nint b = 2;")), chunks.toString());
    }

    @Test
    void aTextWithinTheBudgetIsOneChunk() {
        TokenCounter counter = JtokkitTokenCounter.forEncoding("o200k_base");
        List<Chunk> chunks = new TextSplitter(counter).split("One short sentence.", 100);
        assertEquals(List.of(new Chunk(0, "One short sentence.", counter.count("One short sentence."), 0)), chunks);
    }
}
