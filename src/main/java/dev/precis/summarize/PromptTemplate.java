package dev.precis.summarize;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A prompt kept in {@code src/main/resources/prompts/NAME.txt}: the system message, a line holding
 * only {@code ---}, then the user message; {@code {{name}}} placeholders are filled at render time.
 */
public record PromptTemplate(String name, String system, String user) {

    private static final String SEPARATOR = "\n---\n";

    /** Loads {@code prompts/NAME.txt} from the class path. */
    public static PromptTemplate load(String name) {
        String path = "prompts/" + name + ".txt";
        try (InputStream in = PromptTemplate.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Prompt template not found on the class path: " + path);
            }
            String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int cut = raw.indexOf(SEPARATOR);
            if (cut < 0) {
                throw new IllegalStateException("Prompt template " + path + " has no '---' line");
            }
            return new PromptTemplate(name, raw.substring(0, cut).strip(), raw.substring(cut + SEPARATOR.length()).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The two messages with every placeholder replaced; the text is inserted last. Text and values are
     * untrusted: anything in them that looks like one of the prompts' delimiter tags is defused.
     */
    public Rendered render(Map<String, String> vars, String text) {
        return new Rendered(fill(system, vars), fill(user, vars).replace("{{text}}", neutralize(text)));
    }

    /**
     * Turns look-alikes of the delimiter tags ({@code </document>}, {@code < summary >}, any case)
     * into bracketed words, so that text cannot close its block and speak outside it.
     */
    public static String neutralize(String untrusted) {
        if (untrusted.indexOf('<') < 0) {
            return untrusted;
        }
        return DELIMITER.matcher(untrusted).replaceAll(m -> "[" + (m.group(1) == null ? "" : "/")
                + m.group(2).toLowerCase(java.util.Locale.ROOT) + "]");
    }

    private static final java.util.regex.Pattern DELIMITER = java.util.regex.Pattern.compile(
            "<\\s*(/)?\\s*(document|summaries|summary|text)\\b[^<>]{0,40}>", java.util.regex.Pattern.CASE_INSENSITIVE);

    private static String fill(String template, Map<String, String> vars) {
        String out = template;
        for (Map.Entry<String, String> v : vars.entrySet()) {
            // Values never carry placeholders, so a title cannot pull the document in twice.
            out = out.replace("{{" + v.getKey() + "}}", neutralize(v.getValue()).replace("{{", "{ {"));
        }
        return out;
    }

    /** A prompt ready to send. */
    public record Rendered(String system, String user) {
    }
}
