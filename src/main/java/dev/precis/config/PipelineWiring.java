package dev.precis.config;

import dev.langchain4j.model.chat.ChatModel;
import dev.precis.Pipeline;
import dev.precis.chunking.JtokkitTokenCounter;
import dev.precis.chunking.ModelProfile;
import dev.precis.chunking.TokenCounter;
import dev.precis.ingest.DocumentParser;
import dev.precis.llm.ChatModelClient;
import dev.precis.llm.LlmClient;
import dev.precis.llm.LlmException;
import dev.precis.llm.RetryingLlmClient;
import dev.precis.summarize.ExtractiveSummarizer;
import dev.precis.summarize.LlmSummarizer;
import dev.precis.summarize.StrategyChoice;
import dev.precis.translate.Translator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Builds the plain-Java pipeline from configuration and the configured chat model. */
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
                config.summary().maxTokens());
    }

    @Produces
    @Singleton
    Pipeline pipeline(PrecisConfig config, ModelProfile profile, TokenCounter counter, ChatModel chat) {
        StrategyChoice strategy = StrategyChoice.parse(config.summary().strategy());
        if (config.summarizer() == PrecisConfig.SummarizerKind.EXTRACTIVE) {
            LOG.info("Summarizer: extractive (built in, no model calls)");
            return new Pipeline(new ExtractiveSummarizer(counter), Optional.empty(), counter, strategy);
        }
        LlmClient llm = new RetryingLlmClient(new ChatModelClient(chat, profile.model()),
                config.llm().maxConcurrency(), config.llm().retryBudget(), config.llm().initialBackoff(),
                PipelineWiring::sleep);
        LOG.infof("Summarizer: llm, model %s, context window %d tokens, encoding %s",
                profile.model(), profile.contextWindow(), profile.encoding());
        return new Pipeline(new LlmSummarizer(llm, profile, counter, config.chunking().overlapTokens()),
                Optional.of(new Translator(llm)), counter, strategy);
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
