package dev.precis.chunking;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Built-in profiles for common OpenAI and Gemini models, found by exact name or by dated-snapshot prefix. */
public final class ModelProfiles {

    private static final int MARGIN = 64;

    // Longest prefixes first matter only for lookup; the map is searched by best (longest) match.
    private static final Map<String, ModelProfile> BUILT_IN = Map.ofEntries(
            entry("gpt-4o", 128_000, 16_384, "o200k_base"),
            entry("gpt-4o-mini", 128_000, 16_384, "o200k_base"),
            entry("gpt-4.1", 1_047_576, 32_768, "o200k_base"),
            entry("gpt-4.1-mini", 1_047_576, 32_768, "o200k_base"),
            entry("gpt-4.1-nano", 1_047_576, 32_768, "o200k_base"),
            entry("gpt-5", 400_000, 128_000, "o200k_base"),
            entry("gpt-5-mini", 400_000, 128_000, "o200k_base"),
            entry("gpt-5-nano", 400_000, 128_000, "o200k_base"),
            entry("o3", 200_000, 100_000, "o200k_base"),
            entry("o4-mini", 200_000, 100_000, "o200k_base"),
            entry("gpt-4-turbo", 128_000, 4_096, "cl100k_base"),
            entry("gpt-4", 8_192, 4_096, "cl100k_base"),
            entry("gpt-3.5-turbo", 16_385, 4_096, "cl100k_base"),
            // Gemini's tokenizer is not available here: counts use o200k_base, and the margin keeps
            // 15% of the window for the difference (a rejection still only splits the one request).
            gemini("gemini-2.5-pro", 1_048_576, 65_536),
            gemini("gemini-2.5-flash", 1_048_576, 65_536),
            gemini("gemini-2.5-flash-lite", 1_048_576, 65_536),
            gemini("gemini-2.0-flash", 1_048_576, 8_192));

    private ModelProfiles() {
    }

    /** The built-in profile whose name is the longest prefix of {@code model}, if any. */
    public static Optional<ModelProfile> builtIn(String model) {
        String name = model.toLowerCase(Locale.ROOT);
        ModelProfile best = null;
        for (Map.Entry<String, ModelProfile> e : BUILT_IN.entrySet()) {
            boolean matches = name.equals(e.getKey()) || name.startsWith(e.getKey() + "-");
            if (matches && (best == null || e.getKey().length() > best.model().length())) {
                best = e.getValue();
            }
        }
        return Optional.ofNullable(best).map(p -> new ModelProfile(
                model, p.contextWindow(), p.maxOutputTokens(), p.encoding(), p.marginTokens()));
    }

    private static Map.Entry<String, ModelProfile> gemini(String name, int ctx, int out) {
        return Map.entry(name, new ModelProfile(name, ctx, out, "o200k_base", ctx * 15 / 100));
    }

    private static Map.Entry<String, ModelProfile> entry(String name, int ctx, int out, String enc) {
        return Map.entry(name, new ModelProfile(name, ctx, out, enc, MARGIN));
    }
}
