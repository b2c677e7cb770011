package dev.precis.ingest;

import dev.precis.publish.delivery.TransactionalOutput;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Partition changes, inside the loop's poll on its thread: partitions leaving take their written
 * offsets along (after their open work has had a while to finish); partitions arriving bring the
 * records their previous owner noted as written, which are not summarized again.
 */
final class LanePartitions implements ConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(LanePartitions.class);
    // How long partitions being taken away wait for their work in flight before they go.
    private static final Duration REVOKE_WAIT = Duration.ofSeconds(10);

    private final LaneLoop loop;
    private final LaneOffsets offsets;
    // Exactly-once: its transactions commit the offsets; null otherwise.
    private final TransactionalOutput transactions;

    LanePartitions(LaneLoop loop, LaneOffsets offsets, TransactionalOutput transactions) {
        this.loop = loop;
        this.offsets = offsets;
        this.transactions = transactions;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        loop.forget(partitions);
        // Work still open for them is waited for a while, so that what is written is committed.
        loop.awaitWork(partitions, REVOKE_WAIT);
        Map<TopicPartition, OffsetAndMetadata> leaving = offsets.leaving(partitions);
        if (transactions != null) {
            // What is ready is committed while the partitions are still ours; the rest is dropped.
            transactions.revoked(partitions, loop.input().get().groupMetadata());
            return;
        }
        loop.input().commitSync(leaving);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (transactions != null) {
            transactions.assigned(loop.input().get().groupMetadata());
            return;
        }
        try {
            loop.input().get().committed(new HashSet<>(partitions)).forEach((tp, o) -> {
                int done = offsets.assigned(tp, o);
                if (done > 0) {
                    LOG.infof("Direct lane: %s: %d records past the committed offset %d were written before; "
                            + "they are not summarized again", tp, done, o.offset());
                }
            });
        } catch (RuntimeException e) {
            // Without them, those records are summarized again: duplicates, never a loss.
            LOG.warnf("Direct lane: the committed offsets' notes could not be read (%s)", e.toString());
        }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        loop.forget(partitions);
        offsets.lost(partitions);
        if (transactions != null) {
            // No longer ours: nothing of them may be committed.
            transactions.buffer().drop(partitions).forEach(Runnable::run);
        }
    }
}
