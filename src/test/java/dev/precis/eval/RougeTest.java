package dev.precis.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pinned to the example in the rouge-score package's README (RougeScorer with rouge1 and rougeL;
 * its stemmer changes nothing here because "jumps" is in both texts) and to hand-computed cases.
 */
class RougeTest {

    private static final String TARGET = "The quick brown fox jumps over the lazy dog";
    private static final String PREDICTION = "The quick brown dog jumps on the log.";

    @Test
    void matchesTheRougeScoreReadmeExample() {
        Rouge.Score r1 = Rouge.n(1, TARGET, PREDICTION);
        assertEquals(0.75, r1.precision(), 1e-12);
        assertEquals(0.6666666666666666, r1.recall(), 1e-12);
        assertEquals(0.7058823529411765, r1.f1(), 1e-12);
        Rouge.Score rl = Rouge.l(TARGET, PREDICTION);
        assertEquals(0.625, rl.precision(), 1e-12);
        assertEquals(0.5555555555555556, rl.recall(), 1e-12);
        assertEquals(0.5882352941176471, rl.f1(), 1e-12);
    }

    @Test
    void rouge2CountsSharedBigrams() {
        // Shared bigrams: "the quick", "quick brown" — 2 of 7 predicted, 2 of 8 in the target.
        Rouge.Score r2 = Rouge.n(2, TARGET, PREDICTION);
        assertEquals(2.0 / 7, r2.precision(), 1e-12);
        assertEquals(2.0 / 8, r2.recall(), 1e-12);
        assertEquals(2 * (2.0 / 7) * (2.0 / 8) / (2.0 / 7 + 2.0 / 8), r2.f1(), 1e-12);
    }

    @Test
    void tokenizesLikeRougeScore() {
        assertEquals(List.of("state", "of", "the", "art", "f1", "3", "5"), Rouge.tokens("State-of-the-art F1: 3.5!"));
        assertEquals(List.of(), Rouge.tokens("— … ?"));
        assertEquals(0, Rouge.n(1, "", "anything").f1());
    }

    @Test
    void clipsRepeatedUnigramsAtTheTargetCount() {
        // "the the the" against "the cat": one hit, precision 1/3, recall 1/2.
        Rouge.Score s = Rouge.n(1, "the cat", "the the the");
        assertEquals(1.0 / 3, s.precision(), 1e-12);
        assertEquals(0.5, s.recall(), 1e-12);
    }

    @Test
    void lsumUsesTheUnionOfSentenceLcs() {
        // Target sentence "a b c d e"; candidate sentences "a b x" and "c d" give union LCS a b c d:
        // 4 hits over 5 target and 5 candidate tokens. Plain ROUGE-L over the joined text gives the same here.
        Rouge.Score s = Rouge.lsum("a b c d e", "a b x\nc d");
        assertEquals(0.8, s.precision(), 1e-12);
        assertEquals(0.8, s.recall(), 1e-12);
        // Order matters to ROUGE-L but not across sentences for Lsum: "c d" before "a b" still hits 4.
        assertEquals(0.8, Rouge.lsum("a b c d e", "c d\na b x").recall(), 1e-12);
        assertEquals(0.4, Rouge.l("a b c d e", "c d a b x").recall(), 1e-12);
    }
}
