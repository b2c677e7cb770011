package dev.precis.config;

import dev.precis.summarize.StrategyChoice;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Settings of the précis worker; Kafka and model settings stay under their standard keys. */
@ConfigMapping(prefix = "precis")
public interface PrecisConfig {

    /** Which summarizer writes summaries: the built-in extractive one, or the configured chat model. */
    @WithDefault("extractive")
    SummarizerKind summarizer();

    /**
     * How much work is in flight per pod: documents summarized at once, and model calls in flight
     * to each model. The per-model call ceilings (precis.models.NAME.max-concurrency) and
     * the HTTP connection pool follow from it unless set themselves.
     */
    @WithDefault("8")
    int inFlight();

    /** Largest record value accepted, in bytes; larger records go to the dead-letter topic. */
    @WithDefault("8388608")
    int maxDocumentBytes();

    /** Topic that receives records which cannot be read as documents, with the reason in headers. */
    @WithDefault("documents.dlq")
    String deadLetterTopic();

    /** BCP-47 language to translate summaries into when a document names none (LLM summarizer only). */
    Optional<String> defaultTargetLanguage();

    /** Input header whose value is copied to the result's headers (a correlation id). */
    @WithDefault("correlation-id")
    String correlationHeader();

    /** How often the consumer group's lag per partition is read for metrics. */
    @WithDefault("15s")
    Duration lagInterval();

    /**
     * On SIGTERM: how long documents already being summarized may take to finish (and be
     * committed) before the worker exits anyway; unfinished ones are redelivered. Keep it below
     * the pod's terminationGracePeriodSeconds, with room for the final commit (about 5 s).
     */
    @WithDefault("100s")
    Duration shutdownGrace();

    /**
     * {@code at-least-once} (default): a crash may write a result again, with the same idempotency
     * key. {@code exactly-once}: results and input offsets are committed in Kafka transactions, so
     * {@code read_committed} readers see each result once.
     */
    @WithDefault("at-least-once")
    Delivery delivery();

    /** Delivery guarantee of results. */
    enum Delivery {
        AT_LEAST_ONCE, EXACTLY_ONCE
    }

    /** Transactions of the exactly-once mode. */
    ExactlyOnceConfig exactlyOnce();

    interface ExactlyOnceConfig {
        /** How often finished results are committed (each commit is one transaction). */
        @WithDefault("100ms")
        Duration commitInterval();

        /** Transactional id of this worker; default: host name plus a random suffix (unique per process). */
        Optional<String> transactionalId();
    }

    /** Summary length settings. */
    SummaryConfig summary();

    /** How long documents are cut. */
    ChunkingConfig chunking();

    /**
     * Every model, by the name documents use in their {@code model} field (the provider's model
     * name works too); {@code default} is configured in application.properties from OPENAI_API_KEY
     * and OPENAI_BASE_URL.
     */
    Map<String, ModelConfig> models();

    /** The model of documents that name none: a key of precis.models. */
    @WithDefault("default")
    String defaultModel();

    /** Calls to the chat model. */
    LlmConfig llm();

    /** The in-process Kafka broker of the embedded default. */
    EmbeddedKafkaConfig embeddedKafka();

    /** Run-until-drained mode for nightly runs (not the provider's Batch API: that is precis.batch-api). */
    DrainConfig drain();

    /** The partial-summary store that spares paying twice after a crash or a rebalance. */
    PartialsConfig partials();

    /** One provider budget for every pod of the consumer group. */
    GroupBudgetConfig groupBudget();

    /** How calls of models with batch-api=true are collected, sent and waited for (docs/batch-api.md). */
    BatchApiConfig batchApi();

    /** The HTTP API: submitting documents, reading results and their live stream (docs/http.md). */
    HttpConfig http();

    interface HttpConfig {
        /** Accept documents over HTTP ({@code POST /api/documents}); on in the embedded profile. */
        @WithDefault("false")
        boolean submit();

        /** When set, submitting needs it, as {@code Authorization: Bearer KEY} or {@code X-API-Key: KEY}. */
        Optional<String> apiKey();

        /** The latest results and dead letters kept for {@code GET /api/documents/{id}}. */
        @WithDefault("10000")
        int resultsKept();
    }

    interface GroupBudgetConfig {
        /**
         * Share each model's tokens- and requests-per-minute with the other pods of the consumer group
         * (LLM summarizer only): a configured limit is then the whole group's, as the provider counts it.
         */
        @WithDefault("true")
        boolean enabled();

        /** Compacted topic where the group's pods say what they spend; created on first start when missing. */
        @WithDefault("precis.budget-shares")
        String topic();

        /** How often each pod reports and the shares are worked out again; a pod silent for four rounds is gone. */
        @WithDefault("1s")
        Duration interval();
    }

    interface PartialsConfig {
        /** Keep map and collapse answers in a compacted topic and reuse them (LLM summarizer only). */
        @WithDefault("true")
        boolean enabled();

        /** The compacted topic; created on first start when missing. */
        @WithDefault("precis.partial-summaries")
        String topic();

        /**
         * Partials kept in memory per worker (the most recently used). Only those of documents not
         * yet done are ever reused; at about 2 KB each, 20,000 fit the default 256 MB heap.
         */
        @WithDefault("20000")
        int maxEntries();

        /** How long the topic keeps a partial (it is only needed until its document is done). */
        @WithDefault("7d")
        Duration retention();
    }

    interface DrainConfig {
        /** Process what the input topic holds at startup, then commit and exit 0. */
        @WithDefault("false")
        boolean enabled();

        /** How often progress (processed, remaining, rate, time to finish) is logged. */
        @WithDefault("30s")
        Duration progressInterval();
    }

    /** Which summarizer to use. */
    enum SummarizerKind { EXTRACTIVE, LLM }

    /** What a document gets when the provider's content filter stops a call. */
    enum ContentFilterFallback {
        /** A FAILED result with the filter's reason. */
        NONE,
        /** A summary by the built-in extractive summarizer. */
        EXTRACTIVE
    }

    interface SummaryConfig {
        /** Final summary length in tokens when a document does not ask for one. */
        @WithDefault("200")
        int defaultMaxTokens();

        /** Largest {@code options.maxSummaryTokens} a document may ask for. */
        @WithDefault("4000")
        int maxTokens();

        /** Strategy for documents that name none: auto (one call if it fits, else map-reduce), map-reduce or refine. */
        @WithDefault("auto")
        StrategyChoice strategy();
    }

    /** How long documents are cut. */
    interface ChunkingConfig {
        /** Tokens of each chunk's end repeated at the start of the next (context across the cut). */
        @WithDefault("0")
        int overlapTokens();
    }

    interface LlmConfig {
        /** Total time a call may spend in retries (429, 5xx, timeouts) before the document fails. */
        @WithDefault("5m")
        Duration retryBudget();

        /** First backoff between retries; doubles each time, with jitter. */
        @WithDefault("1s")
        Duration initialBackoff();

        /**
         * Window the per-minute budgets are counted over, scaled to it: 1m allows bursts of a whole
         * minute's budget, 10s a sixth of it every 10 s (smoother; every request must fit in one window).
         */
        @WithDefault("1m")
        Duration rateWindow();

        /** While a provider refuses the account (no quota, bad key), one held call is tried this often. */
        @WithDefault("30s")
        Duration probeInterval();

        /** What a document gets when the content filter stops a call: none (a FAILED result) or extractive. */
        @WithDefault("none")
        ContentFilterFallback contentFilterFallback();
    }

    interface EmbeddedKafkaConfig {
        /**
         * Start a real Kafka broker inside the worker, for a machine with nothing but a JDK (on in the
         * {@code embedded} profile). Never for production: without it, kafka.bootstrap.servers is required.
         */
        @WithDefault("false")
        boolean enabled();

        /** Port of the embedded broker's client listener. */
        @WithDefault("9092")
        int port();

        /** Partitions of topics the embedded broker creates on first use. */
        @WithDefault("3")
        int partitions();
    }
}
