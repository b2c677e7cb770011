package dev.precis.wiring;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.precis.chunking.JtokkitTokenCounter;
import dev.precis.chunking.ModelProfile;
import dev.precis.chunking.ModelProfiles;
import dev.precis.chunking.TokenCounter;
import dev.precis.config.ModelSpec;
import dev.precis.config.NamedModelConfig;
import dev.precis.config.PrecisConfig;
import dev.precis.ingest.DocumentParser;
import dev.precis.config.Messaging;
import dev.precis.llm.BudgetGroup;
import dev.precis.llm.LlmClient;
import dev.precis.llm.ModelGateway;
import dev.precis.llm.ModelServer;
import dev.precis.llm.PartialReuse;
import dev.precis.llm.PartialStore;
import dev.precis.llm.Pricing;
import dev.precis.llm.ServerWindow;
import dev.precis.llm.TruncationCheck;
import dev.precis.llm.batch.BatchLedger;
import dev.precis.llm.provider.ChatModelClient;
import dev.precis.llm.provider.OpenAiCompatibleServer;
import dev.precis.ops.health.ModelState;
import dev.precis.ops.health.WorkerPlan;
import dev.precis.ops.metrics.MeteredLlmClient;
import dev.precis.ops.metrics.PrecisMetrics;
import dev.precis.partials.KafkaBatchLedger;
import dev.precis.partials.KafkaBudgetShares;
import dev.precis.partials.KafkaPartialStore;
import dev.precis.pipeline.Pipeline;
import dev.precis.pipeline.Pipelines;
import dev.precis.publish.IdempotencyKey;
import dev.precis.summarize.ExtractiveSummarizer;
import dev.precis.summarize.LlmSummarizer;
import dev.precis.summarize.StrategyChoice;
import dev.precis.summarize.Summarizer;
import dev.precis.translate.Translator;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.config.ConfigProvider;

/** Builds the plain-Java pipelines from configuration, the configured chat models and the meters. */
@ApplicationScoped
public class PipelineWiring {

    static final String DEFAULT = "default";

    @Produces
    @Singleton
    DocumentParser parser(PrecisConfig config, Pipelines pipelines) {
        return new DocumentParser(config.maxDocumentBytes(), config.summary().defaultMaxTokens(),
                config.summary().maxTokens(), config.defaultTargetLanguage().orElse(null),
                config.summarizer() == PrecisConfig.SummarizerKind.EXTRACTIVE ? null : pipelines.names());
    }

    @Produces
    @Singleton
    PartialStore partialStore(PrecisConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        if (config.summarizer() == PrecisConfig.SummarizerKind.EXTRACTIVE || !config.partials().enabled()) {
            return PartialStore.NONE;
        }
        return new KafkaPartialStore(kafkaConfig, config.partials().topic(), config.partials().maxEntries(),
                config.partials().retention());
    }

    @Produces
    @Singleton
    BatchLedger batchLedger(PrecisConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        boolean any = config.model().batchApi().orElse(false)
                || config.models().values().stream().anyMatch(m -> m.batchApi().orElse(false));
        if (config.summarizer() == PrecisConfig.SummarizerKind.EXTRACTIVE || !any) {
            return BatchLedger.NONE;
        }
        return new KafkaBatchLedger(kafkaConfig, config.batchApi().topic());
    }

    @Produces
    @Singleton
    BudgetGroup budgetGroup(PrecisConfig config, Messaging messaging,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        if (config.summarizer() == PrecisConfig.SummarizerKind.EXTRACTIVE || !config.groupBudget().enabled()) {
            return BudgetGroup.NONE;
        }
        KafkaBudgetShares shares = new KafkaBudgetShares(kafkaConfig, config.groupBudget().topic(), messaging.groupId(),
                config.groupBudget().interval());
        shares.start();
        return shares;
    }

    void closeBudgetGroup(@Disposes BudgetGroup group) {
        if (group instanceof KafkaBudgetShares shares) {
            shares.close();
        }
    }

    void closeBatchLedger(@Disposes BatchLedger ledger) throws Exception {
        if (ledger instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    void closePartialStore(@Disposes PartialStore store) throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Produces
    @Singleton
    Pipelines pipelines(PrecisConfig config, ChatModel chat, Instance<StreamingChatModel> streaming,
            PrecisMetrics metrics, ModelState state, Tracer tracer, PartialStore partials, BatchLedger ledger,
            BudgetGroup budgetGroup, WorkerPlan plan) {
        StrategyChoice strategy = config.summary().strategy();
        if (config.summarizer() == PrecisConfig.SummarizerKind.EXTRACTIVE) {
            plan.put("summarizer", "extractive (built in, no model calls)");
            TokenCounter counter = JtokkitTokenCounter.forEncoding(ProfileResolver.resolve(config.model()).encoding());
            return Pipelines.only(new Pipeline(new ExtractiveSummarizer(counter), Optional.empty(), counter, strategy,
                    metrics));
        }
        plan.put("summarizer", "llm, default model " + config.defaultModel().orElse(DEFAULT));
        Wiring wiring = new Wiring(config, metrics, state, tracer, strategy, partials, ledger, budgetGroup, plan);
        Map<String, Pipeline> byName = new LinkedHashMap<>();
        String openAiKey = ConfigProvider.getConfig().getOptionalValue("quarkus.langchain4j.openai.api-key", String.class)
                .orElse(null);
        Duration defaultTimeout = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.langchain4j.openai.timeout", Duration.class).orElse(Duration.ofMinutes(3));
        ModelServer defaultServer = server(defaultBaseUrl(), config.model().name(), openAiKey, defaultTimeout);
        ModelProfile defaultProfile = ProfileResolver.resolve(config.model().name(), config.model(), "precis.model",
                defaultServer);
        // The streaming client of the same configured model, for answers watched as they are written.
        StreamingChatModel defaultStreaming = streaming.isResolvable() ? streaming.get() : null;
        Double defaultTemperature = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.langchain4j.openai.chat-model.temperature", Double.class).orElse(null);
        String defaultModelName = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.langchain4j.openai.chat-model.model-name", String.class)
                .orElse(defaultProfile.model());
        Pipeline base = wiring.pipeline(DEFAULT, new ChatModelClient(chat, defaultStreaming, defaultProfile.model(),
                defaultTimeout), defaultProfile, config.model(), defaultServer,
                new Endpoint(defaultBaseUrl(), defaultModelName, openAiKey, defaultTemperature, defaultTimeout));
        ProfileResolver.derivation(defaultProfile, config.model(), "precis.model")
                .ifPresent(d -> plan.put("model " + DEFAULT + " derived", d));
        byName.put(DEFAULT, base);
        byName.put(defaultProfile.model(), base);
        config.models().forEach((name, cfg) -> {
            ChatModel built = ChatModels.build(name, cfg, openAiKey);
            ModelServer server = cfg.provider() == NamedModelConfig.Provider.OPENAI
                    ? server(cfg.baseUrl().orElse(ChatModels.OPENAI_URL), cfg.modelName(), cfg.apiKey().orElse(openAiKey),
                            cfg.timeout())
                    : ModelServer.NONE;
            ModelProfile profile = ProfileResolver.resolve(cfg.modelName(), cfg, "precis.models.\"" + name + "\"", server);
            ChatModelClient client = new ChatModelClient(built, ChatModels.buildStreaming(cfg, openAiKey), cfg.modelName(),
                    cfg.timeout());
            Endpoint endpoint = cfg.provider() == NamedModelConfig.Provider.OPENAI
                    ? new Endpoint(cfg.baseUrl().orElse(ChatModels.OPENAI_URL), cfg.modelName(),
                            cfg.apiKey().orElse(openAiKey), cfg.temperature().orElse(null), cfg.timeout())
                    : null;
            byName.put(name, wiring.pipeline(name, client, profile, cfg, server, endpoint));
            ProfileResolver.derivation(profile, cfg, "precis.models.\"" + name + "\"")
                    .ifPresent(d -> plan.put("model " + name + " derived", d));
        });
        String fallback = config.defaultModel().orElse(DEFAULT);
        if (!byName.containsKey(fallback)) {
            throw new IllegalStateException("precis.default-model is '" + fallback + "', which is not configured; "
                    + "configured models: " + String.join(", ", byName.keySet()));
        }
        return new Pipelines(byName, byName.get(fallback));
    }

    private static String defaultBaseUrl() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.langchain4j.openai.base-url", String.class)
                .orElse(ChatModels.OPENAI_URL);
    }

    /** The server behind an OpenAI-compatible base URL, asked about its window unless it is a public provider's. */
    private static ModelServer server(String baseUrl, String model, String apiKey, Duration timeout) {
        return OpenAiCompatibleServer.isPublicProvider(baseUrl) ? ModelServer.NONE
                : new OpenAiCompatibleServer(baseUrl, model, apiKey, timeout);
    }

    /** Where an OpenAI-compatible model is served, for its Batch API. */
    record Endpoint(String baseUrl, String modelName, String apiKey, Double temperature, Duration timeout) {
    }

    /** What every model's pipeline shares. */
    private record Wiring(PrecisConfig config, PrecisMetrics metrics, ModelState state, Tracer tracer,
            StrategyChoice strategy, PartialStore partials, BatchLedger ledger, BudgetGroup budgetGroup,
            WorkerPlan plan) {

        Pipeline pipeline(String name, ChatModelClient client, ModelProfile profile, ModelSpec spec,
                ModelServer server, Endpoint endpoint) {
            PrecisConfig.LlmConfig llm = config.llm();
            Pricing builtIn = Pricing.builtIn(profile.model()).orElse(Pricing.FREE);
            double in = spec.inputPricePerMillion().orElse(builtIn.inputPerMillion());
            Pricing pricing = new Pricing(in, spec.outputPricePerMillion().orElse(builtIn.outputPerMillion()),
                    spec.cachedInputPricePerMillion().orElse(in), spec.batchPriceRatio().orElse(Pricing.BATCH_RATIO));
            TokenCounter counter = JtokkitTokenCounter.forEncoding(profile.encoding());
            ModelGateway.Limits limits = new ModelGateway.Limits(spec.maxConcurrency().orElse(config.inFlight()),
                    spec.tokensPerMinute().orElse(0L), spec.requestsPerMinute().orElse(0L), llm.rateWindow());
            ModelGateway gateway = new ModelGateway(new MeteredLlmClient(client, metrics, state, tracer, pricing),
                    limits, new ModelGateway.Retries(llm.retryBudget(), llm.initialBackoff(), llm.probeInterval()),
                    counter::count, Thread::sleep, metrics);
            metrics.concurrency(profile.model(), limits.maxConcurrency(), gateway::currentLimit, gateway::availablePermits);
            metrics.paused(profile.model(), gateway::paused);
            metrics.budget(profile.model(), gateway::tokensPerMinute, gateway::tokensAvailable);
            // Keyed by the provider's model name: pods naming it alike share its limit.
            budgetGroup.join(profile.model(), gateway);
            metrics.groupBudget(profile.model(), () -> budgetGroup.state(profile.model()));
            plan.put("model " + name, String.format("%s, context window %d tokens, output limit %d, encoding %s, at "
                    + "most %d calls at once, %s tokens/min, %s requests/min%s", profile.model(), profile.contextWindow(),
                    profile.maxOutputTokens(), profile.encoding(), limits.maxConcurrency(),
                    perMinute(limits.tokensPerMinute()), perMinute(limits.requestsPerMinute()),
                    spec.batchApi().orElse(false) ? ", through the Batch API" : ""));
            // A model without a built-in profile runs on an open server whose tokenizer is not ours.
            ServerWindow window = new ServerWindow(profile, server, ModelProfiles.builtIn(profile.model()).isPresent());
            metrics.window(profile.model(), window);
            state.window(profile.model(), window);
            LlmClient calls = gateway;
            if (spec.batchApi().orElse(false)) {
                calls = BatchWiring.client(name, profile.model(), endpoint, config, gateway, partials, ledger, metrics,
                        pricing);
            }
            // Checked before the partial store keeps an answer: a truncated one must never be reused.
            LlmClient reusing = new PartialReuse(new TruncationCheck(calls, window, counter), partials,
                    IdempotencyKey.PIPELINE_VERSION);
            // Map calls run on other threads; wrapping the executor keeps them in the document's trace.
            LlmSummarizer summarizer = new LlmSummarizer(reusing, window, counter, config.chunking().overlapTokens(),
                    metrics, () -> Context.taskWrapping(Executors.newVirtualThreadPerTaskExecutor()));
            Optional<Summarizer> whenFiltered = switch (llm.contentFilterFallback()) {
                case EXTRACTIVE -> Optional.of(new ExtractiveSummarizer(counter));
                case NONE -> Optional.empty();
            };
            return new Pipeline(summarizer, Optional.of(new Translator(calls)), counter, strategy, metrics, pricing,
                    whenFiltered);
        }

        private static String perMinute(long n) {
            return n > 0 ? Long.toString(n) : "unlimited";
        }
    }
}
