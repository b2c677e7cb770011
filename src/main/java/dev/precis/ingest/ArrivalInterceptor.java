package dev.precis.ingest;

import dev.precis.ops.ExactlyOnce;
import dev.precis.publish.InOrderBuffer;
import dev.precis.publish.TransactionalOutput;
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
        SameKeyOrder.Turn turn = order.arrive((byte[]) meta.get().getKey());
        if (turn != null) {
            m = m.addMetadata(turn);
        }
        var output = exactlyOnce.output();
        if (output.isPresent()) {
            InOrderBuffer.Slot<TransactionalOutput.Output> slot = output.get().buffer().arrive(
                    new TopicPartition(meta.get().getTopic(), meta.get().getPartition()), meta.get().getOffset());
            m = m.addMetadata(slot);
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
