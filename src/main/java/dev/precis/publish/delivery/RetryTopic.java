package dev.precis.publish.delivery;

import dev.precis.config.Messaging;
import dev.precis.pipeline.Outcome;
import dev.precis.publish.Headers;
import dev.precis.publish.RejectCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Documents that failed for transient reasons (rate limits, provider unavailable) after the
 * gateway's retry budget go to delayed retry topics instead of becoming a FAILED result, when the
 * input's failure strategy is {@code delayed-retry-topic} (SmallRye's setting and header names,
 * kept so that configurations and readers written for it go on working). They come back to the
 * engine after each topic's delay, without holding their partition; after the last pass they
 * become a dead letter carrying every pass's reason.
 */
@ApplicationScoped
public class RetryTopic {

    // SmallRye's header names for a record's passes, kept so that either reader understands them.
    private static final String DELAYED = "delayed-retry-";
    private static final String FIRST_FAILURE = DELAYED + "first-processing-timestamp";

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
     * The record that carries {@code in} to its next pass: to the next retry topic, or on its last
     * pass to {@code deadLetterTopic} with the code and the whole history. Its headers are the
     * input's, this pass's reason and the retry count, as SmallRye's retry topics write them.
     */
    public ProducerRecord<byte[], byte[]> next(ConsumerRecord<byte[], byte[]> in, String reason, String deadLetterTopic) {
        long now = System.currentTimeMillis();
        Pass pass = pass(in.headers(), reason, now);
        RecordHeaders headers = new RecordHeaders();
        for (Header h : in.headers()) {
            if (!h.key().startsWith(DELAYED)) {
                headers.add(h);
            }
        }
        pass.added().forEach(headers::add);
        if (pass.last()) {
            return new ProducerRecord<>(deadLetterTopic, null, in.key(), in.value(), headers);
        }
        headers.add(DELAYED + "count", Integer.toString(pass.number()).getBytes(StandardCharsets.UTF_8));
        Header first = in.headers().lastHeader(FIRST_FAILURE);
        headers.add(FIRST_FAILURE, first != null ? first.value() : Long.toString(now).getBytes(StandardCharsets.UTF_8));
        Header from = in.headers().lastHeader(DELAYED + "topic");
        headers.add(DELAYED + "topic", from != null ? from.value() : in.topic().getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topics.get(Math.min(pass.number(), topics.size()) - 1), null, in.key(), in.value(), headers);
    }

    /** Whether {@code topic} is one of the retry topics. */
    public boolean isRetryTopic(String topic) {
        return enabled && topics.contains(topic);
    }

    /** How long a record waits in {@code topic} before its next pass: the delay its name ends with. */
    public static long delayMillis(String topic) {
        try {
            return Long.parseLong(topic.substring(topic.lastIndexOf('_') + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public List<String> topics() {
        return topics;
    }

    /** This pass's number, the headers it adds, and whether it is the last. */
    private record Pass(int number, RecordHeaders added, boolean last) {
    }

    private Pass pass(org.apache.kafka.common.header.Headers in, String reason, long now) {
        int pass = retriesSoFar(in) + 1;
        List<String> history = new ArrayList<>();
        in.headers(Headers.RETRY_REASON).forEach(h -> history.add(utf8(h)));
        String entry = "pass " + pass + ": " + reason;
        history.add(entry);
        RecordHeaders added = new RecordHeaders();
        added.add(Headers.RETRY_REASON, entry.getBytes(StandardCharsets.UTF_8));
        boolean last = pass > passes || nextPassTooLate(in, pass, now);
        if (last) {
            added.add(Headers.DLQ_CODE, RejectCode.RETRIES_EXHAUSTED.name().getBytes(StandardCharsets.UTF_8));
            added.add(Headers.DLQ_REASON, String.join(" | ", history).getBytes(StandardCharsets.UTF_8));
        }
        return new Pass(pass, added, last);
    }

    /**
     * Whether this record goes to the dead-letter topic for its retry timeout (the next topic's
     * delay would end past the timeout since the first failure), as SmallRye decides.
     */
    private boolean nextPassTooLate(org.apache.kafka.common.header.Headers in, int pass, long now) {
        String next = topics.get(Math.min(pass - 1, topics.size() - 1));
        long delay = delayMillis(next);
        Header first = in.lastHeader(FIRST_FAILURE);
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

    /** The count of passes through the retry topics (absent on the first failure). */
    private static int retriesSoFar(org.apache.kafka.common.header.Headers in) {
        Header h = in.lastHeader(DELAYED + "count");
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
