package dev.precis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.precis.devbroker.EmbeddedKafkaBroker;
import dev.precis.support.CrashRun;
import dev.precis.support.FakeOpenAi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./precis} as a user runs it, from the packaged build: every command starts without a
 * stack trace or a logging provider's complaint, the command list names every command, and a
 * JSONL line that is not JSON fails the submission with its file and line.
 */
class PrecisScriptIT {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    @Test
    void helpListsEveryCommandAndNothingElseIsPrinted() throws Exception {
        Run help = precis(Map.of(), "--help");
        assertEquals(0, help.code(), help.err());
        assertEquals("", help.err());
        for (String command : List.of("worker", "submit", "tail")) {
            assertTrue(help.out().contains("\n  " + command + " "), help.out());
        }
        Run worker = precis(Map.of(), "worker", "--help");
        assertEquals(0, worker.code(), worker.err());
        assertEquals("", worker.err());
        assertTrue(worker.out().contains("--embedded") && worker.out().contains("PRECIS_JVM_OPTS")
                && worker.out().contains("JVM-OPTION"), worker.out());
    }

    @Test
    void aBrokenJsonlLineFailsTheSubmissionWithItsFileAndLine() throws Exception {
        Path jsonl = dir.resolve("bulk.jsonl");
        Files.writeString(jsonl, """
                {"id":"tea","text":"Tea is an aromatic beverage. It is drunk all over the world. Tea originated in China."}
                {"id":"coffee","text":"Coffee is a brewed drink. It is made from roasted beans. Coffee is popular."}
                this line is not json
                """);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, 3); FakeOpenAi model = new FakeOpenAi(4096)) {
            Process worker = CrashRun.start(broker, model, Map.of());
            try {
                Run submit = precis(Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers()), "submit", "--timeout",
                        "PT2M", jsonl.toString());
                assertEquals(3, submit.code(), submit.err());
                String[] lines = submit.err().strip().split("\n");
                assertEquals("3 documents, 0 already summarized (skipped), 3 to send", lines[0], submit.err());
                for (String line : lines) {
                    assertTrue(line.matches("\\d+ documents, .*|\\[[#.]+\\] sent .*|failed: .*"),
                            "only progress and failures on standard error: " + line);
                }
                assertTrue(submit.err().contains("failed: " + jsonl + " line 3 (id bulk.jsonl#3): DEAD_LETTERED "
                        + "MALFORMED_JSON: The record is declared JSON"), submit.err());
                assertTrue(submit.err().contains("summarized 2, failed 1"), submit.err());
            } finally {
                worker.destroy();
                worker.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Runs the launcher script with this JVM as JAVA_HOME. */
    private Run precis(Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("./precis"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "./precis " + String.join(" ", args) + " did not end");
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
