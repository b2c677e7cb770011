package dev.precis.publish.delivery;

import dev.precis.config.Messaging;
import dev.precis.pipeline.Outcome;
import dev.precis.publish.Headers;
import dev.precis.publish.RejectCode;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * Documents that failed for transient reasons (rate limits, provider unavailable) after the
 * gateway's retry budget go to SmallRye's delayed retry topics instead of becoming a FAILED
 * result, when the channel's failure strategy is {@code delayed-retry-topic}. They come back after
 * each topic's delay through the same channel, without holding their partition; after the last
 * pass they become a dead letter carrying every pass's reason.
 */
@ApplicationScoped
public class RetryTopic {

    /** Marks an outcome to be retried later instead of published. */
    public record Later(String reason) {
    }

    /** The failure handed to the retry strategy (its message becomes the retry record's reason). */
    static final class TransientFailure extends RuntimeException {
        TransientFailure(String reason) {
            super(reason, null, false, false);
        }
    }

    private final boolean enabled;
    private final List<String> topics;
    private final int passes;
    private final long timeoutMillis;

    @Inject
    public RetryTopic(Messaging messaging) {
        this(messaging.retryTopics());
    }

    public RetryTopic(Messaging.RetryTopics settings) {
        this.enabled = settings.enabled();
        this.topics = settings.topics();
        this.passes = settings.passes();
        this.timeoutMillis = settings.timeoutMs();
    }

    public boolean enabled() {
        return enabled;
    }

    /** Failures that may pass if tried later: throttling and provider outages, not bad input or filters. */
    public boolean takes(Outcome outcome) {
        return enabled && outcome.mayPassLater();
    }

    /**
     * Hands the record to the retry strategy with this pass's reason added to its history; on its
     * last pass also the dead-letter code and the whole history. Completes once the record is
     * written to the retry (or dead-letter) topic.
     */
    public CompletionStage<Void> send(Message<?> in, String reason) {
        @SuppressWarnings("unchecked")
        IncomingKafkaRecordMetadata<?, ?> meta = in.getMetadata(IncomingKafkaRecordMetadata.class).orElseThrow();
        int pass = retriesSoFar(meta) + 1;
        List<String> history = new ArrayList<>();
        meta.getHeaders().headers(Headers.RETRY_REASON).forEach(h -> history.add(utf8(h)));
        String entry = "pass " + pass + ": " + reason;
        history.add(entry);
        RecordHeaders added = new RecordHeaders();
        added.add(Headers.RETRY_REASON, entry.getBytes(StandardCharsets.UTF_8));
        if (pass > passes || nextPassTooLate(meta, pass)) {
            added.add(Headers.DLQ_CODE, RejectCode.RETRIES_EXHAUSTED.name().getBytes(StandardCharsets.UTF_8));
            added.add(Headers.DLQ_REASON, String.join(" | ", history).getBytes(StandardCharsets.UTF_8));
        }
        return in.nack(new TransientFailure(reason),
                Metadata.of(OutgoingKafkaRecordMetadata.builder().withHeaders(added).build()));
    }

    /**
     * Whether SmallRye will send this record to the dead-letter topic for its retry timeout (the
     * next topic's delay would end past the timeout since the first failure), as it decides.
     */
    private boolean nextPassTooLate(IncomingKafkaRecordMetadata<?, ?> meta, int pass) {
        String next = topics.get(Math.min(pass - 1, topics.size() - 1));
        long delay;
        try {
            delay = Long.parseLong(next.substring(next.lastIndexOf('_') + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        long now = System.currentTimeMillis();
        Header first = meta.getHeaders().lastHeader("delayed-retry-first-processing-timestamp");
        long firstFailure = now;
        if (first != null) {
            try {
                firstFailure = Long.parseLong(utf8(first).trim());
            } catch (NumberFormatException e) {
                // SmallRye writes it; a foreign value counts as "now", as SmallRye would fail on it anyway.
            }
        }
        return now + delay - firstFailure > timeoutMillis;
    }

    /** SmallRye's count of passes through the retry topics (absent on the first failure). */
    private static int retriesSoFar(IncomingKafkaRecordMetadata<?, ?> meta) {
        Header h = meta.getHeaders().lastHeader("delayed-retry-count");
        if (h == null) {
            return 0;
        }
        try {
            return Integer.parseInt(utf8(h).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String utf8(Header h) {
        return new String(h.value(), StandardCharsets.UTF_8);
    }
}
