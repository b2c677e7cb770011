package dev.precis.publish.delivery;

import dev.precis.config.Channels;
import dev.precis.config.Messaging;
import dev.precis.ops.stop.InFlight;
import dev.precis.publish.RefusedOutput;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Where a processed record's output goes, and when the record counts as done: through the
 * channel (at-least-once; a record Kafka refuses is swapped for a small replacement), into the
 * exactly-once transaction in input order, or back to a retry topic. Every way ends the record's
 * place in the in-flight count exactly once.
 */
@ApplicationScoped
public class Handoff {

    private static final Logger LOG = Logger.getLogger(Handoff.class);

    private final InFlight inFlight;
    private final RetryTopic retryTopic;
    private final KafkaClientService kafka;
    private final String resultsTopic;

    public Handoff(InFlight inFlight, RetryTopic retryTopic, KafkaClientService kafka,
            Messaging messaging) {
        this.inFlight = inFlight;
        this.retryTopic = retryTopic;
        this.kafka = kafka;
        this.resultsTopic = messaging.resultsTopic();
    }

    public String resultsTopic() {
        return resultsTopic;
    }

    /** The message for the channel, or null when the output goes another way (transaction, retry topic). */
    public Message<byte[]> deliver(Message<byte[]> in, Message<byte[]> processed) {
        var later = processed.getMetadata(RetryTopic.Later.class);
        if (later.isPresent()) {
            return retryLater(in, later.get().reason());
        }
        Message<byte[]> out = finishing(processed);
        var slot = slotOf(in);
        if (slot.isEmpty()) {
            return out;
        }
        // Exactly-once: the output is written and the offset committed in a transaction, in input
        // order, after the records before it; the channel's producer is not used.
        slot.get().complete(List.of(transactional(out)), () -> out.ack());
        return null;
    }

    /** Hands the record to the retry topic; it leaves the in-flight count once written there. */
    private Message<byte[]> retryLater(Message<byte[]> in, String reason) {
        var slot = slotOf(in);
        retryTopic.send(in, reason).whenComplete((v, e) -> {
            inFlight.exit();
            if (e == null) {
                // Exactly-once: nothing to write for this record; the offsets after it may be committed.
                slot.ifPresent(s -> s.complete(List.of(), () -> {
                }));
            } else {
                LOG.errorf("Could not write a record to the retry topic (%s); it stays uncommitted", e.toString());
            }
        });
        return null;
    }

    private TransactionalOutput.Output transactional(Message<byte[]> out) {
        @SuppressWarnings("unchecked")
        OutgoingKafkaRecordMetadata<byte[]> meta = out.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow();
        String topic = meta.getTopic() == null ? resultsTopic : meta.getTopic();
        return new TransactionalOutput.Output(new ProducerRecord<>(topic, null, meta.getKey(), out.getPayload(),
                meta.getHeaders()), out.getMetadata(RefusedOutput.class).orElse(null));
    }

    /** The output message, which leaves the in-flight count once written or failed. */
    private Message<byte[]> finishing(Message<byte[]> out) {
        AtomicBoolean once = new AtomicBoolean();
        Runnable exit = () -> {
            if (once.compareAndSet(false, true)) {
                inFlight.exit();
            }
        };
        return out.withAck(() -> out.ack().whenComplete((v, e) -> exit.run()))
                .withNack(failure -> nacked(out, failure).whenComplete((v, e) -> exit.run()));
    }

    /**
     * An output Kafka refused: if the record itself is the problem (too large, invalid), write the
     * small replacement instead and acknowledge, so the partition goes on; otherwise fail as before.
     */
    private CompletionStage<Void> nacked(Message<byte[]> out, Throwable failure) {
        var refused = out.getMetadata(RefusedOutput.class);
        if (refused.isEmpty() || !RefusedOutput.refusesThisRecord(failure)) {
            return out.nack(failure);
        }
        ProducerRecord<byte[], byte[]> replacement = refused.get().replacement().apply(failure);
        LOG.warnf("Kafka refused the output for key %s (%s); writing a replacement to %s", keyOf(replacement),
                RefusedOutput.describe(failure), replacement.topic());
        return kafka.<byte[], byte[]>getProducer(Channels.RESULTS).send(replacement).subscribeAsCompletionStage()
                .thenCompose(written -> out.ack())
                .exceptionallyCompose(e -> out.nack(e));
    }

    private static String keyOf(ProducerRecord<byte[], byte[]> r) {
        return r.key() == null ? "(none)" : new String(r.key(), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Optional<InOrderBuffer.Slot<TransactionalOutput.Output>> slotOf(Message<byte[]> in) {
        return (Optional<InOrderBuffer.Slot<TransactionalOutput.Output>>) (Object) in.getMetadata(InOrderBuffer.Slot.class);
    }
}
