package dev.precis.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One evaluation document with its reference summaries. Reads JSONL where each line has either
 * {@code text} or {@code source} (a list of sentences, as in SciTLDR), and {@code references} or
 * {@code target} (a string or a list of strings).
 */
public record EvalDocument(String id, String title, String text, List<String> references) {

    public static List<EvalDocument> read(Path file, int limit) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<EvalDocument> docs = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || docs.size() >= limit) {
                continue;
            }
            JsonNode n = json.readTree(line);
            String text = n.has("text") ? n.path("text").asText() : join(n.path("source"));
            List<String> refs = strings(n.has("references") ? n.path("references") : n.path("target"));
            String id = n.has("id") ? n.path("id").asText() : n.path("paper_id").asText("doc-" + docs.size());
            if (!text.isBlank() && !refs.isEmpty()) {
                docs.add(new EvalDocument(id, n.path("title").asText(null), text, refs));
            }
        }
        return docs;
    }

    private static String join(JsonNode sentences) {
        List<String> out = strings(sentences);
        return String.join(" ", out);
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.asText());
        } else {
            node.forEach(s -> out.add(s.asText()));
        }
        return out;
    }
}
