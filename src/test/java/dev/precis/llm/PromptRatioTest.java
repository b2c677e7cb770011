package dev.precis.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PromptRatioTest {

    @Test
    void theProvidersUsageScalesTheEstimateAndAHigherCountIsTakenAtOnce() {
        PromptRatio ratio = new PromptRatio();
        assertEquals(1_000, ratio.estimate(1_000));
        ratio.learn(1_000, 1_200);
        assertEquals(1_200, ratio.estimate(1_000), "an undercount costs 429s: the higher count is taken at once");
        ratio.learn(1_000, 1_000);
        assertEquals(1_160, ratio.estimate(1_000), "a lower count moves the estimate a fifth of the way");
    }

    @Test
    void aRefusalNamingItsChargeSetsAFloorUnderTheEstimate() {
        PromptRatio ratio = new PromptRatio();
        ratio.refused(1_000, 200, "Rate limit reached for gpt-4o-mini in organization org-x on tokens per min (TPM): "
                + "Limit 60000, Used 59800, Requested 1450. Please try again in 1.2s.");
        assertEquals(1_250, ratio.estimate(1_000), "1,450 charged less the 200-token cap, for 1,000 counted here");
        ratio.learn(1_000, 1_000);
        assertEquals(1_250, ratio.estimate(1_000), "the usage count does not lower the rate limiter's own estimate");
        ratio.refused(1_000, 200, "Rate limit reached for requests");
        assertEquals(1_250, ratio.estimate(1_000));
    }
}
