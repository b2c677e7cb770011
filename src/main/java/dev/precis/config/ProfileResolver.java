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
        Optional<ModelProfile> builtIn = ModelProfiles.builtIn(cfg.name());
        if (builtIn.isEmpty() && (cfg.contextWindow().isEmpty() || cfg.maxOutputTokens().isEmpty())) {
            throw new IllegalStateException("Model '" + cfg.name() + "' has no built-in profile. Set "
                    + "precis.model.context-window and precis.model.max-output-tokens (and precis.model.encoding "
                    + "if its tokenizer is not o200k_base).");
        }
        return new ModelProfile(cfg.name(),
                cfg.contextWindow().orElseGet(() -> builtIn.get().contextWindow()),
                cfg.maxOutputTokens().orElseGet(() -> builtIn.get().maxOutputTokens()),
                cfg.encoding().orElse(builtIn.map(ModelProfile::encoding).orElse(DEFAULT_ENCODING)),
                cfg.marginTokens().orElse(builtIn.map(ModelProfile::marginTokens).orElse(DEFAULT_MARGIN)));
    }
}
