package dev.precis.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GroupSharesTest {

    private static final long LIMIT = 600_000;

    @Test
    void aPodAloneHasTheWholeLimit() {
        assertEquals(1.0, GroupShares.shareOf("a", List.of(new GroupShares.Report("a", 0, false)), LIMIT));
        assertEquals(1.0, GroupShares.shareOf("a", List.of(), LIMIT));
    }

    @Test
    void podsThatAllWaitSplitTheLimitEvenly() {
        List<GroupShares.Report> three = List.of(new GroupShares.Report("a", 200_000, true),
                new GroupShares.Report("b", 150_000, true), new GroupShares.Report("c", 10_000, true));
        for (String m : List.of("a", "b", "c")) {
            assertEquals(1.0 / 3, GroupShares.shareOf(m, three, LIMIT), 1e-9);
        }
    }

    @Test
    void whatALightPodLeavesGoesToThePodsThatWait() {
        List<GroupShares.Report> reports = List.of(new GroupShares.Report("light", 60_000, false),
                new GroupShares.Report("b", 270_000, true), new GroupShares.Report("c", 270_000, true));
        double light = GroupShares.shareOf("light", reports, LIMIT);
        assertEquals(60_000 * GroupShares.HEADROOM / LIMIT, light, 1e-9, "what it spent, with room to grow");
        assertEquals((1 - light) / 2, GroupShares.shareOf("b", reports, LIMIT), 1e-9);
    }

    @Test
    void anIdlePodKeepsAFloorSoItsFirstCallNeedNotWaitARound() {
        List<GroupShares.Report> reports = List.of(new GroupShares.Report("idle", 0, false),
                new GroupShares.Report("busy", 590_000, true));
        assertEquals(GroupShares.IDLE_FLOOR / 2, GroupShares.shareOf("idle", reports, LIMIT), 1e-9);
        assertEquals(1 - GroupShares.IDLE_FLOOR / 2, GroupShares.shareOf("busy", reports, LIMIT), 1e-9);
    }

    @Test
    void thePartsAlwaysAddUpToTheWholeLimitAndNoneIsNegative() {
        Random random = new Random(42);
        for (int round = 0; round < 2_000; round++) {
            int n = 1 + random.nextInt(12);
            List<GroupShares.Report> reports = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                reports.add(new GroupShares.Report("m" + i, random.nextDouble() * LIMIT, random.nextBoolean()));
            }
            double sum = 0;
            for (GroupShares.Report r : reports) {
                double part = GroupShares.shareOf(r.member(), reports, LIMIT);
                assertTrue(part > 0 && part <= 1, "part " + part);
                sum += part;
            }
            assertEquals(1.0, sum, 1e-9, reports.toString());
        }
    }

    @Test
    void aPodNotYetHeardByTheGroupTakesNoMoreThanAnEqualPart() {
        List<GroupShares.Report> others = List.of(new GroupShares.Report("a", 300_000, true),
                new GroupShares.Report("b", 300_000, true));
        assertEquals(1.0 / 3, GroupShares.shareOf("new", others, LIMIT), 1e-9);
    }

    @Test
    void aBucketWithAShareRefillsAtThatShareOfTheGroupsLimit() throws Exception {
        TokenBucket bucket = new TokenBucket(60_000, Duration.ofMinutes(1));
        bucket.share(0.25);
        bucket.startWith(0.25);
        assertEquals(14_850, bucket.available(), "a quarter of the minute's budget less the reserve");
        assertEquals(14_850, bucket.perMinute());
        assertEquals(59_400, bucket.groupPerMinute());
        bucket.share(0.5);
        assertTrue(bucket.available() < 14_850 + 100, "a larger share refills faster, it is not handed over at once");
        TokenBucket joining = new TokenBucket(60_000, Duration.ofMinutes(1));
        joining.share(0.5);
        joining.startWith(0);
        assertTrue(joining.available() < 100, "a pod joining a group that spends starts empty");
        joining.take(100);
        assertTrue(joining.spentSinceLastLook().waited(), "the take had to wait");
        TokenBucket.Spent idle = joining.spentSinceLastLook();
        assertEquals(0, idle.amount());
        assertTrue(!idle.waited());
    }

    @Test
    void aSmallerShareKeepsWhatIsHeldToSpendButDoesNotRefillIt() throws Exception {
        TokenBucket bucket = new TokenBucket(60_000, Duration.ofMinutes(1));
        bucket.share(0.1);
        long held = bucket.available();
        assertEquals(59_400, held, "no other pod gains what this one holds, so it is not thrown away");
        bucket.take(5_000);
        long left = bucket.available();
        assertTrue(left >= 54_400 && left < 54_400 + 100, "spent down, not refilled above the share: " + left);
    }

    @Test
    void whatAShrunkenShareHoldsAboveItCanBeHandedToAnotherPodOnce() throws Exception {
        TokenBucket holder = new TokenBucket(60_000, Duration.ofMinutes(1));
        holder.share(0.25);
        double excess = holder.takeExcess();
        assertEquals(59_400 - 14_850, excess, 1.0, "all above a quarter of the burst");
        assertTrue(holder.available() <= 14_850 + 10, "taken out of the holder: " + holder.available());
        assertEquals(0, holder.takeExcess(), 1.0, "nothing left above its share");
        TokenBucket joiner = new TokenBucket(60_000, Duration.ofMinutes(1));
        joiner.share(0.75);
        joiner.startWith(0);
        joiner.receive(excess);
        assertTrue(joiner.available() >= 44_500, "the joiner can spend what was handed over: " + joiner.available());
    }

    @Test
    void whatTheProviderSaysIsLeftIsTheMostAnyPodMayHold() throws Exception {
        TokenBucket bucket = new TokenBucket(100_000, Duration.ofMinutes(1));
        bucket.share(0.5);
        TokenBucket.Charge c = bucket.take(1_000);
        bucket.heard(c, 20_000);
        long left = bucket.available();
        assertTrue(left >= 20_000 && left < 20_000 + 300, "what the whole group has left: " + left);
    }
}
