package dev.precis.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How calls of models with batch-api=true are collected, sent and waited for (docs/batch-api.md). */
public interface BatchApiConfig {
    /** Compacted topic recording which batches exist and which requests they hold; created when missing. */
    @WithDefault("precis.batches")
    String topic();

    /** Documents in flight in batch mode (each waits for its batches); replaces precis.in-flight for the worker pool. */
    @WithDefault("1000")
    int documentsInFlight();

    /** A batch is sent once no request has joined it for this long... */
    @WithDefault("10s")
    Duration quietFor();

    /** ... or once its first request has waited this long. */
    @WithDefault("2m")
    Duration collectAtMost();

    /** Requests per input file (OpenAI allows 50,000). */
    @WithDefault("50000")
    int maxRequests();

    /** Bytes per input file (OpenAI allows 200 MB). */
    @WithDefault("190000000")
    long maxBytes();

    /** How often unfinished batches are polled. */
    @WithDefault("30s")
    Duration pollInterval();

    /** The provider's completion window (OpenAI accepts 24h). */
    @WithDefault("24h")
    String completionWindow();

    /** By when every answer must be in: a time of day (06:00, next occurrence) or an ISO-8601 instant. */
    Optional<String> deadline();

    /** The time zone of a deadline given as a time of day; the system's when not set. */
    Optional<String> zone();

    /** What is still pending at the deadline: online (asked online, its batches cancelled) or wait. */
    @WithDefault("online")
    AtDeadline atDeadline();

    /** Lines of an expired or cancelled batch: resubmit (in the next batch) or online. */
    @WithDefault("resubmit")
    WhenNotRun whenNotRun();

    /** Times a line that failed with a server error (5xx, 429) goes into a later batch before its document fails. */
    @WithDefault("3")
    int lineRetries();

    /** How often progress is logged while batches are pending. */
    @WithDefault("60s")
    Duration progressInterval();

    enum AtDeadline { ONLINE, WAIT }

    enum WhenNotRun { RESUBMIT, ONLINE }
}
