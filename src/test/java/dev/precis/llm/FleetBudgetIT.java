package dev.precis.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.precis.support.FleetRun;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Packaged workers in one consumer group on one provider key, each told the organisation's
 * tokens-per-minute limit: together they keep within it, whatever the number of pods, and a pod
 * killed partway hands its share on.
 */
class FleetBudgetIT {

    private static final long TOKENS_PER_MINUTE = 240_000;
    private static final Duration MEASURED = Duration.ofSeconds(45);
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @Test
    void onePodUsesTheWholeLimitWithoutRefusals() throws Exception {
        FleetRun.Result r = FleetRun.run(1, TOKENS_PER_MINUTE, MEASURED, false, TIMEOUT);
        assertEquals(0, r.lost(), r + "; logs " + r.logs());
        assertTrue(r.throttledShare() <= 0.01, r.toString());
        assertTrue(r.usedShare() >= 0.85 && r.usedShare() <= 1.0, r.toString());
    }

    @Test
    void threePodsShareTheLimitAndOneKilledHandsItsShareOn() throws Exception {
        FleetRun.Result r = FleetRun.run(3, TOKENS_PER_MINUTE, MEASURED, true, TIMEOUT);
        assertTrue(r.killed());
        assertEquals(0, r.lost(), r + "; logs " + r.logs());
        assertTrue(r.throttledShare() <= 0.01, r.toString());
        assertTrue(r.usedShare() >= 0.85 && r.usedShare() <= 1.0, r.toString());
    }
}
