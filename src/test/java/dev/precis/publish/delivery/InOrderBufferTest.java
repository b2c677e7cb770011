package dev.precis.publish.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class InOrderBufferTest {

    private final TopicPartition p0 = new TopicPartition("documents", 0);
    private final TopicPartition p1 = new TopicPartition("documents", 1);

    @Test
    void outputsAreReleasedPerPartitionInInputOrderOnly() {
        InOrderBuffer<String> buffer = new InOrderBuffer<>();
        List<String> done = new ArrayList<>();
        var a = buffer.arrive(p0, 10);
        var b = buffer.arrive(p0, 12); // offsets may have gaps (transaction markers, compaction)
        var c = buffer.arrive(p1, 5);
        b.complete(List.of("b"), () -> done.add("b"));
        c.complete(List.of("c"), () -> done.add("c"));

        var first = buffer.takeReady(null);
        assertEquals(List.of("c"), first.outputs(), "b waits for a, c does not");
        assertEquals(Map.of(p1, 6L), first.nextOffsets());

        a.complete(List.of("a1", "a2"), () -> done.add("a"));
        var second = buffer.takeReady(null);
        assertEquals(List.of("a1", "a2", "b"), second.outputs());
        assertEquals(Map.of(p0, 13L), second.nextOffsets());
        second.onCommitted().forEach(Runnable::run);
        assertEquals(List.of("a", "b"), done);
        assertTrue(buffer.takeReady(null).isEmpty());
    }

    @Test
    void aRevokedPartitionsWorkIsAbandonedNotWritten() {
        InOrderBuffer<String> buffer = new InOrderBuffer<>();
        List<String> done = new ArrayList<>();
        var running = buffer.arrive(p0, 1);
        var finished = buffer.arrive(p0, 2);
        finished.complete(List.of("x"), () -> done.add("finished"));
        buffer.drop(List.of(p0)).forEach(Runnable::run);
        assertEquals(List.of("finished"), done);
        running.complete(List.of("y"), () -> done.add("running"));
        assertEquals(List.of("finished", "running"), done, "a record finishing after the revocation is let go at once");
        assertTrue(buffer.takeReady(null).isEmpty());
        assertEquals(0, buffer.size());
    }
}
