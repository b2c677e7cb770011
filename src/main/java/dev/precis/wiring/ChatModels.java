package dev.precis.wiring;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.precis.config.NamedModelConfig;
import dev.precis.llm.provider.ResponseHeaderFilter;
import io.quarkiverse.langchain4j.jaxrsclient.JaxRsHttpClientBuilder;

/**
 * Builds the chat models named in precis.models with quarkus-langchain4j's provider clients (the
 * same REST clients, TLS and proxy settings as its own configured models), with their retries off:
 * the gateway is the one retry layer.
 */
public final class ChatModels {

    public static final String OPENAI_URL = "https://api.openai.com/v1/";
    public static final String GEMINI_URL = "https://generativelanguage.googleapis.com/v1beta";

    private ChatModels() {
    }

    /**
     * The streaming client of an OpenAI-compatible named model, for answers watched as they are
     * written; null for Gemini, whose answers are then shown whole when they are complete.
     */
    public static StreamingChatModel buildStreaming(NamedModelConfig cfg, String defaultOpenAiKey) {
        if (cfg.provider() != NamedModelConfig.Provider.OPENAI) {
            return null;
        }
        OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder b = OpenAiStreamingChatModel.builder()
                .baseUrl(cfg.baseUrl().orElse(OPENAI_URL))
                .apiKey(cfg.apiKey().orElse(defaultOpenAiKey))
                .modelName(cfg.modelName())
                .timeout(cfg.timeout());
        cfg.temperature().ifPresent(b::temperature);
        return b.build();
    }

    public static ChatModel build(String name, NamedModelConfig cfg, String defaultOpenAiKey) {
        return switch (cfg.provider()) {
            case OPENAI -> {
                String url = cfg.baseUrl().orElse(OPENAI_URL);
                OpenAiChatModel.OpenAiChatModelBuilder b = OpenAiChatModel.builder()
                        .baseUrl(url)
                        .apiKey(cfg.apiKey().orElse(defaultOpenAiKey))
                        .modelName(cfg.modelName())
                        .timeout(cfg.timeout())
                        .maxRetries(0);
                cfg.temperature().ifPresent(b::temperature);
                yield b.build();
            }
            case GEMINI -> {
                String url = cfg.baseUrl().orElse(GEMINI_URL);
                JaxRsHttpClientBuilder http = new JaxRsHttpClientBuilder();
                http.connectTimeout(cfg.timeout());
                http.readTimeout(cfg.timeout());
                http.addClientProvider(new ResponseHeaderFilter());
                GoogleAiGeminiChatModel.GoogleAiGeminiChatModelBuilder b = GoogleAiGeminiChatModel.builder()
                        .httpClientBuilder(http)
                        .baseUrl(url)
                        .apiKey(cfg.apiKey().orElseThrow(() -> new IllegalStateException(
                                "precis.models.\"" + name + "\".api-key is required for a Gemini model")))
                        .modelName(cfg.modelName())
                        .timeout(cfg.timeout())
                        .maxRetries(0);
                cfg.temperature().ifPresent(b::temperature);
                yield b.build();
            }
        };
    }
}
