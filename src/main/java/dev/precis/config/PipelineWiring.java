package dev.precis.config;

import dev.langchain4j.model.chat.ChatModel;
import dev.precis.Pipeline;
import dev.precis.chunking.JtokkitTokenCounter;
import dev.precis.chunking.ModelProfile;
import dev.precis.chunking.TokenCounter;
import dev.precis.ingest.DocumentParser;
import dev.precis.llm.ChatModelClient;
import dev.precis.llm.LlmException;
import dev.precis.llm.Pricing;
import dev.precis.llm.RetryingLlmClient;
import dev.precis.ops.MeteredLlmClient;
import dev.precis.ops.ModelState;
import dev.precis.ops.PrecisMetrics;
import dev.precis.summarize.ExtractiveSummarizer;
import dev.precis.summarize.LlmSummarizer;
import dev.precis.summarize.StrategyChoice;
import dev.precis.translate.Translator;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/** Builds the plain-Java pipeline from configuration, the configured chat model and the meters. */
@ApplicationScoped
public class PipelineWiring {

    private static final Logger LOG = Logger.getLogger(PipelineWiring.class);

    @Produces
    @Singleton
    ModelProfile profile(PrecisConfig config) {
        return ProfileResolver.resolve(config.model());
    }

    @Produces
    @Singleton
    TokenCounter tokenCounter(ModelProfile profile) {
        return JtokkitTokenCounter.forEncoding(profile.encoding());
    }

    @Produces
    @Singleton
    DocumentParser parser(PrecisConfig config) {
        return new DocumentParser(config.maxDocumentBytes(), config.summary().defaultMaxTokens(),
                config.summary().maxTokens(), config.defaultTargetLanguage().orElse(null));
    }

    @Produces
    @Singleton
    Pricing pricing(PrecisConfig config) {
        if (config.summarizer() == PrecisConfig.SummarizerKind.EXTRACTIVE) {
            return Pricing.FREE;
        }
        Pricing builtIn = Pricing.builtIn(config.model().name()).orElse(Pricing.FREE);
        return new Pricing(config.model().inputPricePerMillion().orElse(builtIn.inputPerMillion()),
                config.model().outputPricePerMillion().orElse(builtIn.outputPerMillion()));
    }

    @Produces
    @Singleton
    Pipeline pipeline(PrecisConfig config, ModelProfile profile, TokenCounter counter, ChatModel chat,
            PrecisMetrics metrics, ModelState state, Tracer tracer, Pricing pricing) {
        StrategyChoice strategy = StrategyChoice.parse(config.summary().strategy());
        if (config.summarizer() == PrecisConfig.SummarizerKind.EXTRACTIVE) {
            LOG.info("Summarizer: extractive (built in, no model calls)");
            return new Pipeline(new ExtractiveSummarizer(counter), Optional.empty(), counter, strategy, metrics);
        }
        MeteredLlmClient metered = new MeteredLlmClient(new ChatModelClient(chat, profile.model()), metrics, state,
                tracer, pricing);
        RetryingLlmClient llm = new RetryingLlmClient(metered, config.llm().maxConcurrency(),
                config.llm().retryBudget(), config.llm().initialBackoff(), PipelineWiring::sleep, metrics);
        metrics.concurrency(config.llm().maxConcurrency(), llm::availablePermits);
        LOG.infof("Summarizer: llm, model %s, context window %d tokens, encoding %s",
                profile.model(), profile.contextWindow(), profile.encoding());
        // Map calls run on other threads; wrapping the executor keeps them in the document's trace.
        LlmSummarizer summarizer = new LlmSummarizer(llm, profile, counter, config.chunking().overlapTokens(),
                metrics, () -> Context.taskWrapping(Executors.newVirtualThreadPerTaskExecutor()));
        return new Pipeline(summarizer, Optional.of(new Translator(llm)), counter, strategy, metrics);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmException(LlmException.Kind.UNAVAILABLE, "Interrupted while waiting to retry");
        }
    }
}
