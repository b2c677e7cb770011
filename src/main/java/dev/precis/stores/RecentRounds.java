package dev.precis.stores;

import dev.precis.llm.GroupShares;

/**
 * A pod's last rounds, reported as one: the most it spent and whether its calls waited in any
 * of them. A single quiet round (a rebalance, a pause between polls) must not give its share away.
 */
final class RecentRounds {
    private static final int ROUNDS = 3;
    private final double[] perMinute = new double[ROUNDS];
    private final boolean[] waited = new boolean[ROUNDS];
    private int next;

    GroupShares.Report add(String member, double spentPerMinute, boolean waitedNow) {
        perMinute[next] = spentPerMinute;
        waited[next] = waitedNow;
        next = (next + 1) % ROUNDS;
        double most = 0;
        boolean any = false;
        for (int i = 0; i < ROUNDS; i++) {
            most = Math.max(most, perMinute[i]);
            any |= waited[i];
        }
        return new GroupShares.Report(member, most, any);
    }
}
