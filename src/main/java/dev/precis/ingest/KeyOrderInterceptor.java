package dev.precis.ingest;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.IncomingInterceptor;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Gives every input record its place in its key's line as it arrives from the consumer (in
 * partition order, before records are handed to worker threads), and ends the turn when the
 * record is acknowledged (its output written) or nacked.
 */
@Identifier(Channels.DOCUMENTS)
@ApplicationScoped
public class KeyOrderInterceptor implements IncomingInterceptor {

    private final SameKeyOrder order = new SameKeyOrder();

    @Override
    public Message<?> afterMessageReceive(Message<?> message) {
        SameKeyOrder.Turn turn = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(meta -> order.arrive((byte[]) meta.getKey())).orElse(null);
        return turn == null ? message : message.addMetadata(turn);
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
