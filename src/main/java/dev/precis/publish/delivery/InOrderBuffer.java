package dev.precis.publish.delivery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Outputs of records processed concurrently, released per partition in input order: a record's
 * outputs are ready only when every record before it in its partition is done, so the offset
 * committed with them never passes an unfinished record.
 *
 * @param <O> one record's output
 */
public final class InOrderBuffer<O> {

    private final Map<TopicPartition, Deque<Slot<O>>> lines = new HashMap<>();

    /** Called in input order for each record as it arrives. */
    public synchronized Slot<O> arrive(TopicPartition partition, long offset) {
        Slot<O> slot = new Slot<>(this, partition, offset);
        lines.computeIfAbsent(partition, p -> new ArrayDeque<>()).add(slot);
        return slot;
    }

    /** Removes and returns the done prefix of every partition (of the given ones, if not null). */
    public synchronized Ready<O> takeReady(Collection<TopicPartition> only) {
        List<O> outputs = new ArrayList<>();
        Map<TopicPartition, Long> nextOffsets = new HashMap<>();
        List<Runnable> onCommitted = new ArrayList<>();
        lines.forEach((partition, line) -> {
            if (only != null && !only.contains(partition)) {
                return;
            }
            while (!line.isEmpty() && line.peek().outputs != null) {
                Slot<O> slot = line.poll();
                outputs.addAll(slot.outputs);
                nextOffsets.put(partition, slot.offset + 1);
                onCommitted.add(slot.onDone);
            }
        });
        return new Ready<>(outputs, nextOffsets, onCommitted);
    }

    /**
     * Forgets the given partitions (revoked: their next owner starts from the committed offset);
     * returns the callbacks of the records dropped, whose work is abandoned.
     */
    public synchronized List<Runnable> drop(Collection<TopicPartition> partitions) {
        List<Runnable> dropped = new ArrayList<>();
        for (TopicPartition p : partitions) {
            Deque<Slot<O>> line = lines.remove(p);
            if (line != null) {
                line.forEach(s -> {
                    s.dropped = true;
                    // Records still running call onDone themselves when they finish.
                    if (s.outputs != null) {
                        dropped.add(s.onDone);
                    }
                });
            }
        }
        return dropped;
    }

    /** Records waiting or running; for tests and shutdown. */
    public synchronized int size() {
        return lines.values().stream().mapToInt(Deque::size).sum();
    }

    private synchronized boolean complete(Slot<O> slot, List<O> outputs, Runnable onDone) {
        slot.outputs = List.copyOf(outputs);
        slot.onDone = onDone;
        return !slot.dropped;
    }

    /** The outputs ready to be written together, the offsets to commit with them, and what to run after. */
    public record Ready<O>(List<O> outputs, Map<TopicPartition, Long> nextOffsets, List<Runnable> onCommitted) {
        public boolean isEmpty() {
            return nextOffsets.isEmpty();
        }
    }

    /** One record's place in its partition. */
    public static final class Slot<O> {
        private final InOrderBuffer<O> buffer;
        private final TopicPartition partition;
        private final long offset;
        private Runnable onDone;
        private List<O> outputs;
        private boolean dropped;

        private Slot(InOrderBuffer<O> buffer, TopicPartition partition, long offset) {
            this.buffer = buffer;
            this.partition = partition;
            this.offset = offset;
        }

        /**
         * The record is done; its outputs wait for the records before it. {@code onDone} runs once
         * they are committed, or at once if the partition was revoked meanwhile.
         */
        public void complete(List<O> outputs, Runnable onDone) {
            if (!buffer.complete(this, outputs, onDone)) {
                // Its partition was revoked meanwhile: the output is not written, the record is over here.
                onDone.run();
            }
        }

        public TopicPartition partition() {
            return partition;
        }

        public long offset() {
            return offset;
        }
    }
}
