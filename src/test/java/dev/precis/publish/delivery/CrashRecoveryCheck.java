package dev.precis.publish.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.precis.support.CrashRun.Stop;
import dev.precis.support.CrashRun;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Kills the packaged worker with SIGKILL at about 20%, 50% and 80% of a 2,000-document run and
 * restarts it each time, then checks the results as a set: nothing lost, every duplicate with the
 * same idempotency key, duplicates within what was uncommitted at the kills. Long; run with
 * {@code ./mvnw -B verify -Pcrash -Dit.test=CrashRecoveryCheck} (the short version, CrashRecoveryIT,
 * runs in every build).
 */
class CrashRecoveryCheck {

    @Test
    void killedThreeTimesTheWorkerLosesNothing() throws Exception {
        CrashRun.Result r = CrashRun.run(2000, List.of(new Stop(0.2, false), new Stop(0.5, false),
                new Stop(0.8, false)), Duration.ofMinutes(8));
        assertEquals(3, r.stops());
        assertEquals(0, r.lost(), "lost documents");
        assertTrue(r.duplicatesShareTheirKey(), "a duplicate with a different idempotency key");
        assertTrue(r.duplicates() <= r.duplicateBound(), r.duplicates() + " duplicates; bound " + r.duplicateBound());
    }

    @Test
    void inExactlyOnceModeKilledThreeTimesTheWorkerWritesEachResultOnce() throws Exception {
        CrashRun.Result r = CrashRun.run(2000, List.of(new Stop(0.2, false), new Stop(0.5, false),
                new Stop(0.8, false)), Duration.ofMinutes(8), true);
        assertEquals(3, r.stops());
        assertEquals(0, r.lost(), "lost documents");
        assertEquals(0, r.duplicates(), "duplicate results in a read_committed read");
        assertEquals(0, r.outOfOrder(), "results of a partition out of input order");
    }
}
