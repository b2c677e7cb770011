package dev.precis.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * One model under precis.models.NAME: the server it is asked on, and what the chunker, the cost
 * estimate and the gateway must know about it. The default model is the one named {@code default}
 * unless precis.default-model names another.
 */
public interface ModelConfig extends ModelSpec {
    /** openai (any OpenAI-compatible server: OpenAI, Ollama /v1, vLLM, llama.cpp, LM Studio, OpenRouter) or gemini. */
    @WithDefault("openai")
    Provider provider();

    /** The provider's name for the model, e.g. gpt-4o-mini, llama3.1:8b or gemini-2.5-flash. */
    String modelName();

    /** The provider's base URL; OpenAI's or Google AI's public endpoint when not set. */
    Optional<String> baseUrl();

    /**
     * API key, sent as a bearer token (Gemini: as its key header). For an OpenAI-compatible model
     * without one, OPENAI_API_KEY is sent only to OpenAI's own endpoint, never to another server.
     */
    Optional<String> apiKey();

    /** Longest a single call may take, streamed answers included. */
    @WithDefault("180s")
    Duration timeout();

    /** Sampling temperature; the provider's default when not set. */
    Optional<Double> temperature();

    /** The client a model is called with. */
    enum Provider {
        /** OpenAI's chat completions API, and every server that speaks it (through base-url). */
        OPENAI,
        /** Google AI's Gemini API. */
        GEMINI
    }
}
