package dev.precis.ops.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dashboard reads the same with one pod or twelve: figures every pod exports for the whole
 * group (the consumer group's lag, the group budget's figures) are taken once, never added up.
 */
class DashboardTest {

    /** Metrics whose every pod's copy is the same group-wide figure. */
    private static final Pattern GROUP_WIDE = Pattern.compile("precis_consumer_lag|precis_llm_budget_group_\\w+");

    @Test
    void groupWideFiguresAreTakenOncePerSeriesNotSummedOverPods() throws Exception {
        JsonNode dash = new ObjectMapper().readTree(Files.readString(Path.of("deploy/grafana/precis-dashboard.json")));
        List<String> summed = new ArrayList<>();
        int seen = 0;
        for (JsonNode panel : dash.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                Matcher m = GROUP_WIDE.matcher(expr);
                while (m.find()) {
                    seen++;
                    String before = expr.substring(0, m.start()).replaceAll("\\s+", " ");
                    if (!before.matches(".*max by \\([^)]*\\) \\($")) {
                        summed.add(panel.path("title").asText() + ": " + expr);
                    }
                }
            }
        }
        assertFalse(seen == 0, "the dashboard shows the lag and the group budget");
        assertEquals(List.of(), summed, "a group-wide figure must be deduplicated (max by its own labels) first");
    }
}
