package dev.precis.ingest;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What the lane may commit: per partition, the records taken up ({@link PartitionProgress}), the
 * offset past those written with the ones written beyond it in the commit's metadata, and the
 * records the previous owner noted as written, which are not summarized again. Used on the lane's
 * own thread only.
 */
final class LaneOffsets {

    private final Map<TopicPartition, PartitionProgress> progress = new HashMap<>();
    private final Map<TopicPartition, OffsetAndMetadata> written = new HashMap<>();
    private final Map<TopicPartition, Set<Long>> writtenBefore = new HashMap<>();
    private boolean dirty;

    /** Takes up a record just read; its slot is already written when the previous owner wrote it. */
    PartitionProgress.Slot take(TopicPartition tp, long offset) {
        PartitionProgress.Slot slot = progress.computeIfAbsent(tp, p -> new PartitionProgress()).add(offset);
        Set<Long> skip = writtenBefore.get(tp);
        if (skip != null && skip.remove(offset)) {
            slot.written();
        }
        return slot;
    }

    /** Moves each partition's commit point past what is written; the first output that failed, or null. */
    String advance() {
        for (Map.Entry<TopicPartition, PartitionProgress> e : progress.entrySet()) {
            long next = e.getValue().advance();
            if (next >= 0) {
                OffsetAndMetadata now = new OffsetAndMetadata(next, e.getValue().writtenBeyond());
                dirty |= !now.equals(written.put(e.getKey(), now));
            }
            PartitionProgress.Slot failed = e.getValue().failedAtFront();
            if (failed != null) {
                return failed.failure();
            }
        }
        return null;
    }

    /** Whether there are written offsets not yet committed. */
    boolean dirty() {
        return dirty;
    }

    /** The offsets were committed by other means (exactly-once transactions). */
    void committedElsewhere() {
        dirty = false;
    }

    /** The offsets to commit now; they count as committed from here. */
    Map<TopicPartition, OffsetAndMetadata> toCommit() {
        dirty = false;
        return new HashMap<>(written);
    }

    /** Whether anything was taken up or committed: then the group protocol can no longer be changed. */
    boolean anything() {
        return !progress.isEmpty() || !written.isEmpty();
    }

    /** Whether every record of {@code partitions} taken up has its output written or failed. */
    boolean settled(Collection<TopicPartition> partitions) {
        return partitions.stream().map(progress::get).allMatch(p -> p == null || p.settled());
    }

    /**
     * After an output failed and the work in flight ended: where each of {@code assigned} is read
     * again (its oldest record not written; those written after it will be skipped), committed at once.
     */
    Map<TopicPartition, OffsetAndMetadata> readAgain(Set<TopicPartition> assigned) {
        Map<TopicPartition, OffsetAndMetadata> from = new HashMap<>();
        progress.forEach((tp, p) -> {
            long next = p.advance();
            long first = p.readAgainFrom();
            if (first >= 0 && assigned.contains(tp)) {
                from.put(tp, new OffsetAndMetadata(first));
                if (next >= 0) {
                    writtenBefore.put(tp, PartitionProgress.parse(next, p.writtenBeyond()));
                }
            }
        });
        progress.clear();
        written.putAll(from);
        return from;
    }

    /** Partitions taken away: their last offsets to commit; nothing of them is kept. */
    Map<TopicPartition, OffsetAndMetadata> leaving(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        partitions.forEach(tp -> {
            PartitionProgress p = progress.remove(tp);
            writtenBefore.remove(tp);
            long next = p == null ? -1 : p.advance();
            if (next >= 0) {
                written.put(tp, new OffsetAndMetadata(next, p.writtenBeyond()));
            }
            OffsetAndMetadata o = written.remove(tp);
            if (o != null) {
                out.put(tp, o);
            }
        });
        return out;
    }

    /** Partitions lost (no longer ours): nothing of them may be committed. */
    void lost(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> {
            progress.remove(tp);
            written.remove(tp);
            writtenBefore.remove(tp);
        });
    }

    /** A partition assigned with its committed offset: the records its previous owner noted as written. */
    int assigned(TopicPartition tp, OffsetAndMetadata committed) {
        Set<Long> done = committed == null ? Set.of()
                : PartitionProgress.parse(committed.offset(), committed.metadata());
        if (!done.isEmpty()) {
            writtenBefore.put(tp, done);
        }
        return done.size();
    }
}
