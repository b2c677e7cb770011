package dev.precis.wiring;

import dev.precis.chunking.JtokkitTokenCounter;
import dev.precis.chunking.ModelProfile;
import dev.precis.chunking.ModelProfiles;
import dev.precis.chunking.TokenCounter;
import dev.precis.config.ModelConfig;
import dev.precis.config.PrecisConfig;
import dev.precis.config.Tracing;
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
import dev.precis.ops.health.ModelState;
import dev.precis.ops.health.WorkerPlan;
import dev.precis.ops.metrics.MeteredLlmClient;
import dev.precis.ops.metrics.PrecisMetrics;
import dev.precis.stores.KafkaBatchLedger;
import dev.precis.stores.KafkaBudgetShares;
import dev.precis.stores.KafkaPartialStore;
import dev.precis.pipeline.Pipeline;
import dev.precis.pipeline.Pipelines;
import dev.precis.publish.IdempotencyKey;
import dev.precis.summarize.ExtractiveSummarizer;
import dev.precis.summarize.LlmSummarizer;
import dev.precis.summarize.StrategyChoice;
import dev.precis.summarize.Summarizer;
import dev.precis.translate.Translator;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
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
        boolean any = config.models().values().stream().anyMatch(m -> m.batchApi().orElse(false));
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
    Pipelines pipelines(PrecisConfig config, PrecisMetrics metrics, ModelState state, Tracer tracer,
            PartialStore partials, BatchLedger ledger, BudgetGroup budgetGroup, WorkerPlan plan) {
        StrategyChoice strategy = config.summary().strategy();
        ModelConfig defaultModel = config.models().get(config.defaultModel());
        if (config.summarizer() == PrecisConfig.SummarizerKind.EXTRACTIVE) {
            plan.put("summarizer", "extractive (built in, no model calls)");
            // Token counts (and so chunk sizes and summary lengths) follow the default model's tokenizer.
            TokenCounter counter = JtokkitTokenCounter.forEncoding(defaultModel == null ? "o200k_base"
                    : ProfileResolver.resolve(defaultModel.modelName(), defaultModel, ModelKeys.of(config.defaultModel()))
                            .encoding());
            return Pipelines.only(new Pipeline(new ExtractiveSummarizer(counter), Optional.empty(), counter, strategy,
                    metrics));
        }
        if (defaultModel == null) {
            throw new IllegalStateException("precis.default-model is '" + config.defaultModel() + "', which is not "
                    + "configured: set " + ModelKeys.of(config.defaultModel()) + ".model-name, or name one of: "
                    + String.join(", ", config.models().keySet()));
        }
        plan.put("summarizer", "llm, default model " + config.defaultModel());
        boolean traced = Tracing.exported(ConfigProvider.getConfig());
        // Spans nobody receives cost a model call more than its metrics do: none are made then.
        Wiring wiring = new Wiring(config, metrics, state, traced ? tracer : OpenTelemetry.noop().getTracer("precis"),
                strategy, partials, ledger, budgetGroup, plan);
        Consumer<HttpRequest.Builder> context = traceContext(traced);
        Map<String, Pipeline> byName = new LinkedHashMap<>();
        Map<String, Pipeline> byModel = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(new TreeSet<>(config.models().keySet()));
        keys.remove(config.defaultModel());
        keys.add(0, config.defaultModel());
        for (String key : keys) {
            ModelConfig cfg = config.models().get(key);
            String apiKey = ChatModels.apiKey(cfg, defaultModel);
            ModelServer server = ChatModels.server(cfg, apiKey);
            ModelProfile profile = ProfileResolver.resolve(cfg.modelName(), cfg, ModelKeys.of(key), server);
            Pipeline pipeline = wiring.pipeline(key, ChatModels.client(key, cfg, apiKey, context), profile, cfg, server,
                    apiKey);
            byName.put(key, pipeline);
            // A document may also name the provider's model; the default model's claim comes first.
            byModel.putIfAbsent(profile.model(), pipeline);
            ProfileResolver.derivation(profile, cfg, ModelKeys.of(key)).ifPresent(d -> plan.put("model " + key
                    + " derived", d));
        }
        byModel.forEach(byName::putIfAbsent);
        return new Pipelines(byName, byName.get(config.defaultModel()));
    }

    /** Carries the document's trace to the model server when traces go somewhere; nothing otherwise. */
    private static Consumer<HttpRequest.Builder> traceContext(boolean exported) {
        if (!exported) {
            return request -> { };
        }
        return request -> W3CTraceContextPropagator.getInstance().inject(Context.current(), request,
                (carrier, name, value) -> carrier.header(name, value));
    }

    /** What every model's pipeline shares. */
    private record Wiring(PrecisConfig config, PrecisMetrics metrics, ModelState state, Tracer tracer,
            StrategyChoice strategy, PartialStore partials, BatchLedger ledger, BudgetGroup budgetGroup,
            WorkerPlan plan) {

        Pipeline pipeline(String name, LlmClient client, ModelProfile profile, ModelConfig spec,
                ModelServer server, String apiKey) {
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
                calls = BatchWiring.client(name, profile.model(), spec, apiKey, config, gateway, partials, ledger,
                        metrics, pricing);
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
