package dev.precis.llm.batch;

import java.time.Duration;
import java.time.Instant;

/**
 * How the batch client fills, sends and waits for batches.
 *
 * @param quietFor a batch is sent once no request has joined it for this long
 * @param collectAtMost ... or once its first request has waited this long
 * @param maxRequests requests per input file (the provider's limit, or lower)
 * @param maxBytes bytes per input file
 * @param enqueuedTokens tokens the model may have in unfinished batches (0: unknown, learnt from refusals)
 * @param pollInterval how often unfinished batches are asked about
 * @param deadline by when every answer must be in (null: none)
 * @param onlineAtDeadline what is still pending then is asked online (else it keeps waiting)
 * @param onlineWhenNotRun lines of an expired or cancelled batch are asked online (else resubmitted)
 * @param lineRetries times a line that failed with a server error is put in a later batch
 * @param progressInterval how often progress is logged while batches are pending
 */
public record BatchSettings(Duration quietFor, Duration collectAtMost, int maxRequests, long maxBytes,
        long enqueuedTokens, Duration pollInterval, Instant deadline, boolean onlineAtDeadline,
        boolean onlineWhenNotRun, int lineRetries, Duration progressInterval) {
}
