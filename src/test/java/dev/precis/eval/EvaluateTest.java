package dev.precis.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateTest {

    @Test
    void writesAReportAChartAndPerfectScoresForAnExactReference(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data.jsonl");
        Files.write(data, List.of(
                "{\"id\":\"a\",\"text\":\"Cats sleep a lot. Dogs bark at night.\",\"references\":[\"Cats sleep a lot.\"]}",
                "{\"source\":[\"We propose a faster parser.\",\"It is tested.\"],\"target\":[\"We propose a faster parser.\", \"x\"]}",
                "{\"id\":\"no-refs\",\"text\":\"Skipped, it has no reference.\"}"));
        Evaluate.main(new String[] {"--dataset", data.toString(), "--budget", "40", "--out", dir.toString(),
                "--systems", "lead-1;extractive"});

        JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertEquals(2, report.path("documents").asInt());
        JsonNode lead = report.path("systems").path(0);
        assertEquals("lead-1", lead.path("name").asText());
        assertEquals(100.0, lead.path("rouge1").asDouble(), 1e-9);
        assertEquals(100.0, lead.path("rougeL").asDouble(), 1e-9);
        assertTrue(Files.readString(dir.resolve("report.md")).contains("| extractive |"));
        assertTrue(ImageIO.read(dir.resolve("chart.png").toFile()).getWidth() >= 640);
    }
}
