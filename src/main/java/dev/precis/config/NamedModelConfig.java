package dev.precis.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** A further model a document may ask for by its key in precis.models. */
public interface NamedModelConfig extends ModelSpec {
    /** openai (any OpenAI-compatible server: OpenAI, Ollama /v1, vLLM, llama.cpp, LM Studio, OpenRouter) or gemini. */
    @WithDefault("openai")
    Provider provider();

    /** The provider's name for the model, e.g. gpt-4o or gemini-2.5-flash. */
    String modelName();

    /** The provider's base URL; OpenAI's or Google AI's public endpoint when not set. */
    Optional<String> baseUrl();

    /** API key; for openai the default model's key (OPENAI_API_KEY) when not set. */
    Optional<String> apiKey();

    /** Longest a single call may take; the default model's (quarkus.langchain4j.openai.timeout) when not set. */
    @WithDefault("${quarkus.langchain4j.openai.timeout:180s}")
    Duration timeout();

    /** Sampling temperature; the provider's default when not set. */
    Optional<Double> temperature();

    /** The client a named model is called with. */
    enum Provider {
        /** OpenAI's chat completions API, and every server that speaks it (through base-url). */
        OPENAI,
        /** Google AI's Gemini API. */
        GEMINI
    }
}
