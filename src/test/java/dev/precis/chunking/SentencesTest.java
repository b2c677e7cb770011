package dev.precis.chunking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SentencesTest {

    @Test
    void splitsEnglishAtStopsFollowedBySpace() {
        assertEquals(List.of("It rained.", "Did it stop?", "Yes (finally)!", "Version 2.5 shipped."),
                Sentences.of("It rained. Did it stop? Yes (finally)! Version 2.5 shipped."));
    }

    @Test
    void splitsKoreanJapaneseAndChinese() {
        assertEquals(List.of("위원회는 예산을 검토했습니다.", "결과는 좋았습니다!"),
                Sentences.of("위원회는 예산을 검토했습니다. 결과는 좋았습니다!"));
        assertEquals(List.of("予算を見直しました。", "「本当ですか？」", "はい。"),
                Sentences.of("予算を見直しました。「本当ですか？」はい。"));
        assertEquals(List.of("委员会审查了预算。", "“这是真的吗？”", "他问道！"),
                Sentences.of("委员会审查了预算。“这是真的吗？”他问道！"));
    }

    @Test
    void markdownLinesEndSentences() {
        assertEquals(List.of("# Title", "- first item", "- second item", "Body text."),
                Sentences.of("# Title\n- first item\n- second item\n\nBody text."));
    }
}
