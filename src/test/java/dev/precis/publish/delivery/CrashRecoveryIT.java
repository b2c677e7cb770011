package dev.precis.publish.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.precis.support.CrashRun.Stop;
import dev.precis.support.CrashRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packaged worker stopped and restarted during a run, in both delivery modes. Every build runs
 * the short scenario: 400 documents over 6 partitions, SIGKILL at about 35% and SIGTERM at about
 * 70%. The long one (2,000 documents, SIGKILL at about 20%, 50% and 80%) runs with
 * {@code ./mvnw -B verify -Pcrash -Dit.test=CrashRecoveryIT}, which sets {@code crash.long}.
 * Nothing may be lost; at-least-once duplicates carry their original's idempotency key and stay
 * within what was uncommitted at the stops; a read_committed reader of the exactly-once mode sees
 * no duplicate and every partition in input order.
 */
class CrashRecoveryIT {

    record Scenario(String name, int documents, List<Stop> stops, Duration timeout, boolean exactlyOnce,
            Map<String, String> env) {
        Scenario(String name, int documents, List<Stop> stops, Duration timeout, boolean exactlyOnce) {
            this(name, documents, stops, timeout, exactlyOnce, Map.of());
        }

        @Override
        public String toString() {
            return name + (exactlyOnce ? ", exactly-once" : ", at-least-once");
        }
    }

    static List<Scenario> scenarios() {
        List<Scenario> out = new ArrayList<>();
        for (boolean exactlyOnce : new boolean[] {false, true}) {
            out.add(new Scenario("a kill and a stop in 400 documents", 400,
                    List.of(new Stop(0.35, false), new Stop(0.7, true)), Duration.ofMinutes(4), exactlyOnce));
            if (Boolean.getBoolean("crash.long")) {
                out.add(new Scenario("three kills in 2,000 documents", 2000,
                        List.of(new Stop(0.2, false), new Stop(0.5, false), new Stop(0.8, false)),
                        Duration.ofMinutes(8), exactlyOnce));
            }
        }
        // The extractive summarizer: the direct lane reads, a poll at a time, fast enough that the
        // stops come in the middle of a poll's writes.
        out.add(new Scenario("the direct lane: a kill and a stop in 20,000 documents", 20_000,
                List.of(new Stop(0.35, false), new Stop(0.7, true)), Duration.ofMinutes(4), false,
                Map.of("PRECIS_SUMMARIZER", "extractive")));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void stoppedAndRestartedTheWorkerLosesNothing(Scenario s) throws Exception {
        CrashRun.Result r = CrashRun.run(s.documents(), s.stops(), s.timeout(), s.exactlyOnce(), s.env());
        assertEquals(s.stops().size(), r.stops());
        assertEquals(0, r.lost(), "lost documents");
        if (s.exactlyOnce()) {
            assertEquals(0, r.duplicates(), "duplicate results in a read_committed read");
            assertEquals(0, r.outOfOrder(), "results of a partition out of input order");
        } else {
            assertTrue(r.duplicatesShareTheirKey(), "a duplicate with a different idempotency key");
            assertTrue(r.duplicates() <= r.duplicateBound(), r.duplicates() + " duplicates; bound " + r.duplicateBound());
        }
    }
}
