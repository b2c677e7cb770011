package dev.precis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Documents to submit, read from files: every regular file under a folder (its path below the
 * folder is its id, its name the title, its content the text), or every line of a JSONL file (a
 * document object; one without an id is given "FILE#LINE"). What cannot be made a document is
 * sent as it is, so that the worker dead-letters it with the reason: every input has one fate. A
 * JSONL line is sent declared JSON, so that one that is not a JSON object is a broken record to
 * the worker, never a text to summarize.
 */
final class Inputs {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One record to send: key and value as they will be written; {@code where} it came from (a file,
     * or a JSONL file and line); {@code json}: a JSONL line, sent declared JSON.
     */
    record Input(String id, byte[] value, String where, boolean json) {
    }

    private Inputs() {
    }

    static List<Input> read(Path path, Options options) throws IOException {
        if (Files.isDirectory(path)) {
            return folder(path, options);
        }
        return jsonl(path, options);
    }

    /** The options every document is sent with, so that its idempotency key is known here too. */
    record Options(int maxSummaryTokens, String targetLanguage, String model) {
    }

    private static List<Input> folder(Path root, Options options) throws IOException {
        List<Input> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                Path relative = root.relativize(file);
                if (relative.toString().startsWith(".") || file.getFileName().toString().startsWith(".")) {
                    continue;
                }
                String id = relative.toString().replace(file.getFileSystem().getSeparator(), "/");
                byte[] bytes = Files.readAllBytes(file);
                String text = utf8(bytes);
                if (text == null) {
                    out.add(new Input(id, bytes, id, false));
                    continue;
                }
                ObjectNode doc = JSON.createObjectNode().put("id", id).put("title", file.getFileName().toString())
                        .put("text", text);
                out.add(new Input(id, withOptions(doc, options), id, false));
            }
        }
        return out;
    }

    private static List<Input> jsonl(Path file, Options options) throws IOException {
        List<Input> out = new ArrayList<>();
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String fallbackId = file.getFileName() + "#" + number;
                String where = file + " line " + number;
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (IOException e) {
                    out.add(new Input(fallbackId, line.getBytes(StandardCharsets.UTF_8), where, true));
                    continue;
                }
                if (!(node instanceof ObjectNode doc)) {
                    out.add(new Input(fallbackId, line.getBytes(StandardCharsets.UTF_8), where, true));
                    continue;
                }
                if (!doc.path("id").isTextual() || doc.path("id").asText().isBlank()) {
                    doc.put("id", fallbackId);
                }
                out.add(new Input(doc.path("id").asText().strip(), withOptions(doc, options), where, true));
            }
        }
        return out;
    }

    private static byte[] withOptions(ObjectNode doc, Options options) throws IOException {
        JsonNode given = doc.path("options");
        ObjectNode opts = given instanceof ObjectNode o ? o : doc.putObject("options");
        if (!opts.has("maxSummaryTokens") && !opts.has("length")) {
            opts.put("maxSummaryTokens", options.maxSummaryTokens());
        }
        if (options.targetLanguage() != null && !doc.has("targetLanguage")) {
            doc.put("targetLanguage", options.targetLanguage());
        }
        if (options.model() != null && !doc.has("model")) {
            doc.put("model", options.model());
        }
        return JSON.writeValueAsBytes(doc);
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
