package dev.precis.wiring;

import dev.precis.chunking.ModelProfile;
import dev.precis.chunking.ModelProfiles;
import dev.precis.config.ModelSpec;
import dev.precis.llm.ModelServer;
import java.util.Optional;

/** The model profile from the built-in table, with any configured field taking precedence. */
public final class ProfileResolver {

    private static final String DEFAULT_ENCODING = "o200k_base";
    private static final int DEFAULT_MARGIN = 64;

    private ProfileResolver() {
    }

    /** {@code keys}: where the settings live, for the error message (precis.models.default, precis.models."fast.v2"). */
    public static ModelProfile resolve(String name, ModelSpec cfg, String keys) {
        return resolve(name, cfg, keys, ModelServer.NONE);
    }

    /**
     * As above; a model with neither a built-in profile nor a configured window takes the window its
     * server says it serves (and a quarter of it as the output limit unless one is configured).
     */
    public static ModelProfile resolve(String name, ModelSpec cfg, String keys, ModelServer server) {
        Optional<ModelProfile> builtIn = ModelProfiles.builtIn(name);
        if (builtIn.isEmpty() && cfg.contextWindow().isEmpty()) {
            Optional<ModelServer.Discovered> found = server == ModelServer.NONE ? Optional.empty()
                    : server.discover().filter(d -> d.window() > 0);
            if (found.isPresent()) {
                int window = found.get().window();
                return new ModelProfile(name, window, cfg.maxOutputTokens().orElse(Math.min(window / 4, 8192)),
                        cfg.encoding().orElse(DEFAULT_ENCODING), cfg.marginTokens().orElse(DEFAULT_MARGIN));
            }
        }
        if (builtIn.isEmpty() && (cfg.contextWindow().isEmpty() || cfg.maxOutputTokens().isEmpty())) {
            throw new IllegalStateException("Model '" + name + "' has no built-in profile"
                    + (server == ModelServer.NONE ? "" : " and its server did not say what window it serves")
                    + ". Set " + keys + ".context-window and " + keys + ".max-output-tokens (and " + keys
                    + ".encoding if its tokenizer is not o200k_base).");
        }
        int window = cfg.contextWindow().orElseGet(() -> builtIn.get().contextWindow());
        int margin = cfg.marginTokens().orElse(builtIn.map(ModelProfile::marginTokens).orElse(DEFAULT_MARGIN));
        int output = cfg.maxOutputTokens().orElseGet(() -> fitted(builtIn.get().maxOutputTokens(), window, margin));
        if (margin + 1 >= window) {
            throw new IllegalStateException("Model '" + name + "': " + keys + ".context-window is " + window
                    + " tokens, which its margin of " + margin + " tokens (" + keys + ".margin-tokens) fills. "
                    + "Raise " + keys + ".context-window or lower " + keys + ".margin-tokens.");
        }
        if (output + margin >= window) {
            throw new IllegalStateException("Model '" + name + "': " + keys + ".max-output-tokens is " + output
                    + " and " + keys + ".context-window is " + window + ": with the margin of " + margin
                    + " tokens no room is left for input. Lower " + keys + ".max-output-tokens or raise " + keys
                    + ".context-window.");
        }
        return new ModelProfile(name, window, output,
                cfg.encoding().orElse(builtIn.map(ModelProfile::encoding).orElse(DEFAULT_ENCODING)), margin);
    }

    /**
     * What was derived rather than set or built in, for the startup plan: an output limit shrunk to
     * fit a configured window smaller than the built-in profile's.
     */
    public static Optional<String> derivation(ModelProfile resolved, ModelSpec cfg, String keys) {
        Optional<ModelProfile> builtIn = ModelProfiles.builtIn(resolved.model());
        if (cfg.maxOutputTokens().isPresent() || builtIn.isEmpty()
                || resolved.maxOutputTokens() >= builtIn.get().maxOutputTokens()) {
            return Optional.empty();
        }
        return Optional.of("output limit " + resolved.maxOutputTokens() + " tokens, derived: the built-in "
                + builtIn.get().maxOutputTokens() + " does not fit the window of " + resolved.contextWindow()
                + " tokens in " + keys + ".context-window (set " + keys + ".max-output-tokens to choose)");
    }

    // The built-in output limit, or a quarter of what the window leaves when that limit does not fit.
    private static int fitted(int builtInOutput, int window, int margin) {
        return builtInOutput + margin < window ? builtInOutput : Math.max(1, (window - margin) / 4);
    }
}
