package dev.precis.config;

import dev.precis.chunking.ModelProfile;
import dev.precis.chunking.ModelProfiles;
import java.util.Optional;

/** The model profile from the built-in table, with any configured field taking precedence. */
final class ProfileResolver {

    private static final String DEFAULT_ENCODING = "o200k_base";
    private static final int DEFAULT_MARGIN = 64;

    private ProfileResolver() {
    }

    static ModelProfile resolve(PrecisConfig.ModelConfig cfg) {
        return resolve(cfg.name(), cfg, "precis.model");
    }

    /** {@code keys}: where the settings live, for the error message (precis.model, precis.models."fast"). */
    static ModelProfile resolve(String name, PrecisConfig.ModelSpec cfg, String keys) {
        Optional<ModelProfile> builtIn = ModelProfiles.builtIn(name);
        if (builtIn.isEmpty() && (cfg.contextWindow().isEmpty() || cfg.maxOutputTokens().isEmpty())) {
            throw new IllegalStateException("Model '" + name + "' has no built-in profile. Set "
                    + keys + ".context-window and " + keys + ".max-output-tokens (and " + keys + ".encoding "
                    + "if its tokenizer is not o200k_base).");
        }
        return new ModelProfile(name,
                cfg.contextWindow().orElseGet(() -> builtIn.get().contextWindow()),
                cfg.maxOutputTokens().orElseGet(() -> builtIn.get().maxOutputTokens()),
                cfg.encoding().orElse(builtIn.map(ModelProfile::encoding).orElse(DEFAULT_ENCODING)),
                cfg.marginTokens().orElse(builtIn.map(ModelProfile::marginTokens).orElse(DEFAULT_MARGIN)));
    }
}
