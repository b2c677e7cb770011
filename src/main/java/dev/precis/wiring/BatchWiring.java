package dev.precis.wiring;

import dev.precis.config.BatchApiConfig;
import dev.precis.config.BatchDeadline;
import dev.precis.config.ModelConfig;
import dev.precis.config.PrecisConfig;
import dev.precis.llm.LlmClient;
import dev.precis.llm.PartialStore;
import dev.precis.llm.Pricing;
import dev.precis.llm.batch.BatchClient;
import dev.precis.llm.batch.BatchLedger;
import dev.precis.llm.batch.BatchSettings;
import dev.precis.llm.provider.OpenAiBatchApi;
import dev.precis.ops.metrics.PrecisMetrics;
import dev.precis.publish.IdempotencyKey;
import java.time.Instant;
import java.time.ZoneId;
import org.jboss.logging.Logger;

/** Builds the Batch API client of a model with {@code batch-api=true}, online calls going through its gateway. */
final class BatchWiring {

    private static final Logger LOG = Logger.getLogger(BatchWiring.class);

    private BatchWiring() {
    }

    static BatchClient client(String name, String model, ModelConfig spec, String apiKey, PrecisConfig config,
            LlmClient online, PartialStore partials, BatchLedger ledger, PrecisMetrics metrics, Pricing pricing) {
        if (spec.provider() != ModelConfig.Provider.OPENAI) {
            throw new IllegalStateException("Model " + name + " has batch-api=true, but only OpenAI-compatible "
                    + "providers are reached through a Batch API");
        }
        BatchApiConfig b = config.batchApi();
        Instant deadline = b.deadline().map(d -> BatchDeadline.parse(d, b.zone().map(ZoneId::of).orElse(ZoneId.systemDefault()),
                Instant.now())).orElse(null);
        BatchSettings settings = new BatchSettings(b.quietFor(), b.collectAtMost(), b.maxRequests(), b.maxBytes(),
                spec.batchEnqueuedTokens().orElse(0L), b.pollInterval(), deadline,
                b.atDeadline() == BatchApiConfig.AtDeadline.ONLINE,
                b.whenNotRun() == BatchApiConfig.WhenNotRun.ONLINE, b.lineRetries(), b.progressInterval());
        String baseUrl = ChatModels.baseUrl(spec);
        OpenAiBatchApi api = new OpenAiBatchApi(baseUrl, spec.modelName(), apiKey, spec.temperature().orElse(null),
                b.completionWindow(), spec.timeout());
        BatchClient client = new BatchClient(model, IdempotencyKey.PIPELINE_VERSION, api, ledger, partials, online,
                settings, metrics.batches(pricing), Instant::now);
        metrics.batchGauges(model, client::pendingRequests, client::pendingBatches);
        LOG.infof("Model %s: calls go through the Batch API at %s (%.0f%% of the online price), batches of up to %d "
                + "requests, polled every %s%s", name, baseUrl, pricing.batchRatio() * 100, b.maxRequests(),
                b.pollInterval(), deadline == null ? "" : ", deadline " + deadline);
        return client;
    }
}
