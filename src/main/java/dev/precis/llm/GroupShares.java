package dev.precis.llm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Splits a per-minute limit among the pods that share it, from what each reported of its last
 * round: a pod whose calls waited for the budget could spend more, and takes an equal part of
 * what the others leave; a pod that spent less keeps what it spent with room to grow. The parts
 * always add up to the whole limit, and every pod computes the same split from the same reports.
 */
public final class GroupShares {

    /** Room above what a pod spent, so that it can grow before its calls have to wait. */
    static final double HEADROOM = 1.25;
    /** Least part of an equal share an idle pod keeps, so that its first calls need not wait a round. */
    static final double IDLE_FLOOR = 0.1;

    /** What one pod's budget was charged in a round, and whether its calls waited for it. */
    public record Spending(long amount, boolean waited) {
    }

    /** One pod's last report: what it spent per minute, and whether its calls waited. */
    public record Report(String member, double perMinute, boolean waited) {
    }

    private GroupShares() {
    }

    /** The part (0 to 1) of {@code perMinute} that {@code member} may spend; 1 when it is alone. */
    public static double shareOf(String member, Collection<Report> reports, long perMinute) {
        int n = reports.size();
        if (n <= 1 || perMinute <= 0) {
            return 1.0;
        }
        List<double[]> demands = new ArrayList<>();
        List<String> members = new ArrayList<>();
        for (Report r : reports) {
            double wanted = r.waited() ? Double.POSITIVE_INFINITY
                    : Math.max(r.perMinute() * HEADROOM / perMinute, IDLE_FLOOR / n);
            demands.add(new double[] {wanted, members.size()});
            members.add(r.member());
        }
        demands.sort(Comparator.comparingDouble(d -> d[0]));
        double[] parts = new double[n];
        double left = 1.0;
        int i = 0;
        // Water-filling: the smallest demands are met whole while they are under an equal part of what is left.
        for (; i < n; i++) {
            double fair = left / (n - i);
            if (demands.get(i)[0] >= fair) {
                break;
            }
            parts[(int) demands.get(i)[1]] = demands.get(i)[0];
            left -= demands.get(i)[0];
        }
        if (i < n) {
            for (int j = i; j < n; j++) {
                parts[(int) demands.get(j)[1]] = left / (n - i);
            }
        } else {
            // Nobody wants more than it has: what is left is spread evenly, so the parts still add up to 1.
            for (int j = 0; j < n; j++) {
                parts[j] += left / n;
            }
        }
        int me = members.indexOf(member);
        return me < 0 ? 1.0 / (n + 1) : parts[me];
    }
}
