package dev.precis.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.precis.chunking.ModelProfile;
import dev.precis.config.ModelSpec;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProfileResolverTest {

    private record Model(String name, Optional<Integer> contextWindow, Optional<Integer> maxOutputTokens,
            Optional<String> encoding, Optional<Integer> marginTokens, Optional<Double> inputPricePerMillion,
            Optional<Double> outputPricePerMillion) implements ModelSpec {

        @Override
        public Optional<Double> cachedInputPricePerMillion() {
            return Optional.empty();
        }

        @Override
        public Optional<Integer> maxConcurrency() {
            return Optional.empty();
        }

        @Override
        public Optional<Long> tokensPerMinute() {
            return Optional.empty();
        }

        @Override
        public Optional<Long> requestsPerMinute() {
            return Optional.empty();
        }

        @Override
        public Optional<Boolean> batchApi() {
            return Optional.empty();
        }

        @Override
        public Optional<Double> batchPriceRatio() {
            return Optional.empty();
        }

        @Override
        public Optional<Long> batchEnqueuedTokens() {
            return Optional.empty();
        }

        static Model named(String name) {
            return new Model(name, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty());
        }
    }

    private static final String KEYS = "precis.models.default";

    private static ModelProfile resolve(Model m) {
        return ProfileResolver.resolve(m.name(), m, KEYS);
    }

    @Test
    void anUnknownModelWithoutAProfileIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> resolve(Model.named("llama3.1:8b")));
        assertTrue(e.getMessage().contains("precis.models.default.context-window"), e.getMessage());
    }

    @Test
    void anUnknownModelWithAConfiguredProfileUsesTheFallbackEncodingAndMargin() {
        ModelProfile p = resolve(new Model("llama3.1:8b", Optional.of(8192), Optional.of(2048),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
        assertEquals(8192, p.contextWindow());
        assertEquals("o200k_base", p.encoding());
        assertEquals(64, p.marginTokens());
    }

    @Test
    void configuredFieldsOverrideTheBuiltInProfile() {
        ModelProfile p = resolve(new Model("gpt-4o-mini-2024-07-18", Optional.empty(), Optional.of(1000),
                Optional.of("cl100k_base"), Optional.of(300), Optional.empty(), Optional.empty()));
        assertEquals(128_000, p.contextWindow());
        assertEquals(1000, p.maxOutputTokens());
        assertEquals("cl100k_base", p.encoding());
        assertEquals(300, p.marginTokens());
    }

    @Test
    void aWindowSmallerThanTheBuiltInOutputLimitShrinksTheLimitAndSaysSo() {
        Model small = new Model("gpt-4o-mini", Optional.of(8192), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
        ModelProfile p = resolve(small);
        assertEquals(8192, p.contextWindow());
        assertEquals((8192 - 64) / 4, p.maxOutputTokens());
        assertTrue(p.inputBudget(p.maxOutputTokens()) > 4000, p.toString());
        String said = ProfileResolver.derivation(p, small, KEYS).orElseThrow();
        assertTrue(said.contains("16384") && said.contains("precis.models.default.max-output-tokens"), said);
        assertTrue(ProfileResolver.derivation(resolve(Model.named("gpt-4o-mini")), Model.named(
                "gpt-4o-mini"), KEYS).isEmpty());
    }

    @Test
    void anOutputLimitThatLeavesNoRoomForInputStopsTheStartupNamingBothSettings() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> resolve(new Model(
                "gpt-4o-mini", Optional.of(8192), Optional.of(8192), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty())));
        assertTrue(e.getMessage().contains("precis.models.default.max-output-tokens is 8192")
                && e.getMessage().contains("precis.models.default.context-window is 8192"), e.getMessage());
    }
}
