package dev.precis.wiring;

import dev.precis.chunking.ModelProfile;
import dev.precis.chunking.ModelProfiles;
import dev.precis.config.ModelSpec;
import dev.precis.config.PrecisConfig;
import dev.precis.llm.ModelServer;
import java.util.Optional;

/** The model profile from the built-in table, with any configured field taking precedence. */
public final class ProfileResolver {

    private static final String DEFAULT_ENCODING = "o200k_base";
    private static final int DEFAULT_MARGIN = 64;

    private ProfileResolver() {
    }

    public static ModelProfile resolve(PrecisConfig.ModelConfig cfg) {
        return resolve(cfg.name(), cfg, "precis.model");
    }

    /** {@code keys}: where the settings live, for the error message (precis.model, precis.models."fast"). */
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
        return new ModelProfile(name,
                cfg.contextWindow().orElseGet(() -> builtIn.get().contextWindow()),
                cfg.maxOutputTokens().orElseGet(() -> builtIn.get().maxOutputTokens()),
                cfg.encoding().orElse(builtIn.map(ModelProfile::encoding).orElse(DEFAULT_ENCODING)),
                cfg.marginTokens().orElse(builtIn.map(ModelProfile::marginTokens).orElse(DEFAULT_MARGIN)));
    }
}
