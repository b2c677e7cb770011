package dev.precis.config;

import java.util.Optional;

/** What the chunker, the cost estimate and the gateway must know about a model. */
public interface ModelSpec {
    /** Context window in tokens; required for a model without a built-in profile. */
    Optional<Integer> contextWindow();

    /** Largest answer the model may give, in tokens; required for a model without a built-in profile. */
    Optional<Integer> maxOutputTokens();

    /** Tokenizer encoding (o200k_base, cl100k_base, ...); the built-in profile's, else o200k_base. */
    Optional<String> encoding();

    /** Tokens kept free for what a local count cannot see (chat formatting, provider-side tokens). */
    Optional<Integer> marginTokens();

    /** US dollars per million input tokens, for cost estimates; built in for OpenAI models, else 0. */
    Optional<Double> inputPricePerMillion();

    /** US dollars per million output tokens, for cost estimates; built in for OpenAI models, else 0. */
    Optional<Double> outputPricePerMillion();

    /** US dollars per million cached input tokens; the input price when not set. */
    Optional<Double> cachedInputPricePerMillion();

    /** Most calls in flight to this model, across all documents; precis.in-flight when not set. */
    Optional<Integer> maxConcurrency();

    /** Tokens (prompt + answer) per minute this model may be sent by the whole consumer group; no budget when not set. */
    Optional<Long> tokensPerMinute();

    /** Requests per minute this model may be sent by the whole consumer group; no budget when not set. */
    Optional<Long> requestsPerMinute();

    /**
     * Send this model's calls through the provider's Batch API (OpenAI-compatible providers):
     * half the price, answers within the completion window; see precis.batch-api.*.
     */
    Optional<Boolean> batchApi();

    /** Batch price as a share of the online price; 0.5 (OpenAI's and most providers' discount) when not set. */
    Optional<Double> batchPriceRatio();

    /** Tokens this model may have in unfinished batches (the provider's enqueued-token limit); learnt from its refusals when not set. */
    Optional<Long> batchEnqueuedTokens();
}
