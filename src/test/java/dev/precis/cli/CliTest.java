package dev.precis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.precis.support.KafkaAndModel;
import dev.precis.support.TestDocs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bulk command line against the real broker and the running worker: submit, resume, tail. */
@QuarkusTest
@WithTestResource(KafkaAndModel.class)
class CliTest {

    @TempDir
    Path dir;

    @Test
    void aFolderIsSummarizedThenResumedThenWrittenToFiles() throws Exception {
        // A folder of its own per run: ids are paths below it, and the topics outlive the test.
        Path docs = Files.createDirectories(dir.resolve("run-" + UUID.randomUUID().toString().substring(0, 8)));
        for (int i = 0; i < 12; i++) {
            Files.writeString(docs.resolve("note-" + i + ".md"), "# Note " + i + "\n\n" + TestDocs.english(8, i));
        }
        Files.createDirectories(docs.resolve("sub"));
        Files.writeString(docs.resolve("sub/deeper.txt"), TestDocs.english(5, 99));
        // Not UTF-8: sent as it is, and dead-lettered by the worker with its reason.
        Files.write(docs.resolve("broken.bin"), new byte[] {(byte) 0xC3, (byte) 0x28, 'a'});
        String prefix = docs.getFileName() + "/";

        Run first = submit(dir);
        assertEquals(3, first.code(), first.err());
        assertTrue(first.err().contains("14 documents, 0 already summarized (skipped), 14 to send"), first.err());
        assertTrue(first.err().contains("summarized 13, failed 1"), first.err());
        assertTrue(first.err().contains("failed: " + prefix + "broken.bin: DEAD_LETTERED INVALID_UTF8: "), first.err());

        // Resumed: what has a result is not sent again; the dead letter is (it has no result).
        Run second = submit(dir);
        assertEquals(3, second.code(), second.err());
        assertTrue(second.err().contains("14 documents, 13 already summarized (skipped), 1 to send"), second.err());

        // An edited document is a new version: it is sent again.
        Files.writeString(docs.resolve("note-3.md"), "# Note 3, edited\n\n" + TestDocs.english(9, 303));
        Files.delete(docs.resolve("broken.bin"));
        Run third = submit(dir);
        assertEquals(0, third.code(), third.err());
        assertTrue(third.err().contains("13 documents, 12 already summarized (skipped), 1 to send"), third.err());

        Path out = Files.createTempDirectory("precis-tail");
        StringWriter tailErr = new StringWriter();
        int tail = Precis.run(new PrintWriter(tailErr, true), "tail", "-b", KafkaAndModel.bootstrapServers(), "--out",
                out.toString(), "--from-beginning", "--until-idle", "PT3S");
        assertEquals(0, tail, tailErr.toString());
        Path note = out.resolve(prefix + "note-3.md.md");
        assertTrue(Files.exists(note), tailErr.toString());
        assertTrue(!Files.readString(note).isBlank());
        assertTrue(Files.exists(out.resolve(prefix + "sub/deeper.txt.json")));
    }

    private record Run(int code, String err) {
    }

    private Run submit(Path folder) {
        StringWriter err = new StringWriter();
        int code = Precis.run(new PrintWriter(err, true), "submit", "-b", KafkaAndModel.bootstrapServers(),
                "--timeout", "PT2M", folder.toString());
        return new Run(code, err.toString());
    }
}
