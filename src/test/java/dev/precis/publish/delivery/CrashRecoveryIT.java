package dev.precis.publish.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.precis.support.CrashRun.Stop;
import dev.precis.support.CrashRun;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The short crash check of every build: the packaged worker, 400 documents over 6 partitions,
 * SIGKILL at about 35% and SIGTERM at about 70%, each followed by a restart. Nothing may be lost,
 * and every duplicate must carry its original's idempotency key; in the exactly-once mode a
 * read_committed reader must see no duplicate at all.
 */
class CrashRecoveryIT {

    @Test
    void aKillAndAStopLoseNothing() throws Exception {
        CrashRun.Result r = CrashRun.run(400, List.of(new Stop(0.35, false), new Stop(0.7, true)), Duration.ofMinutes(4));
        assertEquals(2, r.stops());
        assertEquals(0, r.lost(), "lost documents");
        assertTrue(r.duplicatesShareTheirKey(), "a duplicate with a different idempotency key");
        assertTrue(r.duplicates() <= r.duplicateBound(), r.duplicates() + " duplicates; bound " + r.duplicateBound());
    }

    @Test
    void inExactlyOnceModeAKillAndAStopLeaveNoDuplicate() throws Exception {
        CrashRun.Result r = CrashRun.run(400, List.of(new Stop(0.35, false), new Stop(0.7, true)), Duration.ofMinutes(4), true);
        assertEquals(2, r.stops());
        assertEquals(0, r.lost(), "lost documents");
        assertEquals(0, r.duplicates(), "duplicate results in a read_committed read");
        assertEquals(0, r.outOfOrder(), "results of a partition out of input order");
    }
}
