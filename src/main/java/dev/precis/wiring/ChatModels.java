package dev.precis.wiring;

import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import dev.precis.config.ModelConfig;
import dev.precis.llm.LlmClient;
import dev.precis.llm.ModelServer;
import dev.precis.llm.provider.ChatModelClient;
import dev.precis.llm.provider.OpenAiChat;
import dev.precis.llm.provider.OpenAiCompatibleServer;
import dev.precis.llm.provider.ResponseHeaderFilter;
import io.quarkiverse.langchain4j.jaxrsclient.JaxRsHttpClientBuilder;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.function.Consumer;

/**
 * Builds the client of every model in precis.models, the default one included: OpenAI-compatible
 * servers through précis' own client on the JDK's HTTP client, Gemini through LangChain4j's with
 * quarkus-langchain4j's REST client. Retries are off in both: the gateway is the one retry layer.
 */
final class ChatModels {

    static final String OPENAI_URL = "https://api.openai.com/v1/";
    static final String GEMINI_URL = "https://generativelanguage.googleapis.com/v1beta";

    private ChatModels() {
    }

    /** The configured base URL, or the provider's public one. */
    static String baseUrl(ModelConfig cfg) {
        return cfg.baseUrl().orElse(cfg.provider() == ModelConfig.Provider.GEMINI ? GEMINI_URL : OPENAI_URL);
    }

    /**
     * The model's key; an OpenAI model without one borrows the default model's key when both are
     * OpenAI's own endpoint, so that a key is never sent to a server it was not given for.
     */
    static String apiKey(ModelConfig cfg, ModelConfig defaultModel) {
        if (cfg.apiKey().isPresent() || defaultModel == null || cfg.provider() != ModelConfig.Provider.OPENAI
                || defaultModel.provider() != ModelConfig.Provider.OPENAI) {
            return cfg.apiKey().orElse(null);
        }
        return isOpenAi(baseUrl(cfg)) && isOpenAi(baseUrl(defaultModel)) ? defaultModel.apiKey().orElse(null) : null;
    }

    static LlmClient client(String key, ModelConfig cfg, String apiKey, Consumer<HttpRequest.Builder> context) {
        return switch (cfg.provider()) {
            case OPENAI -> new OpenAiChat(baseUrl(cfg), cfg.modelName(), apiKey, cfg.temperature().orElse(null),
                    cfg.timeout(), context);
            case GEMINI -> {
                JaxRsHttpClientBuilder http = new JaxRsHttpClientBuilder();
                http.connectTimeout(cfg.timeout());
                http.readTimeout(cfg.timeout());
                http.addClientProvider(new ResponseHeaderFilter());
                GoogleAiGeminiChatModel.GoogleAiGeminiChatModelBuilder b = GoogleAiGeminiChatModel.builder()
                        .httpClientBuilder(http)
                        .baseUrl(baseUrl(cfg))
                        .apiKey(cfg.apiKey().orElseThrow(() -> new IllegalStateException(
                                ModelKeys.of(key) + ".api-key is required for a Gemini model")))
                        .modelName(cfg.modelName())
                        .timeout(cfg.timeout())
                        .maxRetries(0);
                cfg.temperature().ifPresent(b::temperature);
                yield new ChatModelClient(b.build(), null, cfg.modelName(), cfg.timeout());
            }
        };
    }

    /** The server behind an OpenAI-compatible base URL, asked about its window unless it is a public provider's. */
    static ModelServer server(ModelConfig cfg, String apiKey) {
        String url = baseUrl(cfg);
        return cfg.provider() != ModelConfig.Provider.OPENAI || OpenAiCompatibleServer.isPublicProvider(url)
                ? ModelServer.NONE : new OpenAiCompatibleServer(url, cfg.modelName(), apiKey, cfg.timeout());
    }

    private static boolean isOpenAi(String url) {
        return String.valueOf(URI.create(url).getHost()).equalsIgnoreCase("api.openai.com");
    }
}
