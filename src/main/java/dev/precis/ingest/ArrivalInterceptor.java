package dev.precis.ingest;

import dev.precis.config.Channels;
import dev.precis.publish.delivery.ExactlyOnce;
import dev.precis.publish.delivery.InOrderBuffer;
import dev.precis.publish.delivery.TransactionalOutput;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.IncomingInterceptor;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sees every input record as it arrives from the consumer — in partition order, before records
 * are handed to worker threads — and gives it its place: in its key's line (same-key order) and,
 * in exactly-once mode, in its partition's line of outputs. The key's turn ends when the record
 * is acknowledged (its output written) or nacked.
 */
@Identifier(Channels.DOCUMENTS)
@ApplicationScoped
public class ArrivalInterceptor implements IncomingInterceptor {

    private final SameKeyOrder order = new SameKeyOrder();
    private final ExactlyOnce exactlyOnce;

    public ArrivalInterceptor(ExactlyOnce exactlyOnce) {
        this.exactlyOnce = exactlyOnce;
    }

    @Override
    public Message<?> afterMessageReceive(Message<?> message) {
        var meta = message.getMetadata(IncomingKafkaRecordMetadata.class);
        if (meta.isEmpty()) {
            return message;
        }
        Message<?> m = message;
        var output = exactlyOnce.output();
        // Records coming back from a retry topic belong to the retry consumer's own group; their
        // results are written at least once, through the channel.
        boolean fromRetryTopic = meta.get().getHeaders().lastHeader("delayed-retry-count") != null;
        if (output.isPresent() && !fromRetryTopic) {
            // Exactly-once commits each partition's results in input order, which orders same-key
            // results too; waiting per key as well could only add waits (and, with one key in two
            // partitions, a cycle).
            InOrderBuffer.Slot<TransactionalOutput.Output> slot = output.get().buffer().arrive(
                    new TopicPartition(meta.get().getTopic(), meta.get().getPartition()), meta.get().getOffset());
            return m.addMetadata(slot);
        }
        SameKeyOrder.Turn turn = order.arrive((byte[]) meta.get().getKey());
        if (turn != null) {
            m = m.addMetadata(turn);
        }
        return m;
    }

    @Override
    public void onMessageAck(Message<?> message) {
        message.getMetadata(SameKeyOrder.Turn.class).ifPresent(SameKeyOrder.Turn::end);
    }

    @Override
    public void onMessageNack(Message<?> message, Throwable failure) {
        message.getMetadata(SameKeyOrder.Turn.class).ifPresent(SameKeyOrder.Turn::end);
    }
}
