package dev.precis.stores;

import dev.precis.llm.GroupShares;
import dev.precis.llm.ModelGateway;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The parts of a pod's split that are not the shares themselves: tokens given away, and the start. */
final class BudgetSplit {

    private BudgetSplit() {
    }

    /**
     * Tokens this pod holds above its share (it held them when its share shrank, or was given them)
     * go to the pods whose calls wait, in equal parts: taken out of this pod's bucket before they
     * are offered, so that they are never spent twice, and added once by each pod when it reads
     * this report. A pod that held the whole bucket when others joined then does not sit on it.
     */
    static Map<String, Long> gifts(List<Heard> pods, String member, ModelGateway gateway) {
        List<String> waiting = new ArrayList<>();
        for (Heard h : pods) {
            if (!h.report().member().equals(member) && h.report().waited()) {
                waiting.add(h.report().member());
            }
        }
        if (waiting.isEmpty()) {
            return Map.of();
        }
        long excess = gateway.takeExcess();
        if (excess < waiting.size()) {
            gateway.receive(excess);
            return Map.of();
        }
        Map<String, Long> gifts = new HashMap<>();
        waiting.forEach(m -> gifts.put(m, excess / waiting.size()));
        return gifts;
    }

    /**
     * What this pod's buckets start with, as a part of the group's burst. Pods that start together
     * split the provider's full bucket: the first to decide gives each pod it counts its share and
     * says so, and a pod it counted takes the part it was given. A pod joining a group that is
     * spending starts empty, since the provider's bucket is being drained by the others.
     */
    static double firstHeld(String member, List<Heard> pods, List<GroupShares.Report> reports, long limit,
            double share, Consumer<Map<String, Double>> startedThem) {
        double given = pods.stream().filter(h -> !h.report().member().equals(member))
                .mapToDouble(h -> h.startedWith().getOrDefault(member, -1.0)).max().orElse(-1);
        if (given >= 0) {
            return given;
        }
        if (reports.stream().anyMatch(r -> !r.member().equals(member) && r.perMinute() > 0)) {
            return 0;
        }
        Map<String, Double> parts = new HashMap<>();
        for (GroupShares.Report r : reports) {
            parts.put(r.member(), GroupShares.shareOf(r.member(), reports, limit));
        }
        startedThem.accept(parts);
        return share;
    }
}
