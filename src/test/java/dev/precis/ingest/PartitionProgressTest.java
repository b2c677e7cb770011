package dev.precis.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the lane may commit in a partition, and what a new owner need not summarize again. */
class PartitionProgressTest {

    @Test
    void theCommitPointStopsAtTheOldestRecordNotWritten() {
        PartitionProgress p = new PartitionProgress();
        List<PartitionProgress.Slot> slots = new ArrayList<>();
        for (long offset = 100; offset < 106; offset++) {
            slots.add(p.add(offset));
        }
        assertEquals(-1, p.advance(), "nothing written yet");
        slots.get(0).written();
        slots.get(2).written();
        slots.get(3).written();
        slots.get(5).written();
        assertEquals(101, p.advance());
        assertEquals("1-2,4", p.writtenBeyond(), "102, 103 and 105, counted from 101");
        assertEquals(Set.of(102L, 103L, 105L), PartitionProgress.parse(101, p.writtenBeyond()));
        assertFalse(p.settled());
        slots.get(1).failed("Kafka did not take a result");
        assertEquals(101, p.advance());
        assertEquals("Kafka did not take a result", p.failedAtFront().failure());
        assertEquals(101, p.readAgainFrom());
        slots.get(4).written();
        assertTrue(p.settled());
    }

    @Test
    void allWrittenCommitsPastTheLastAndLeavesNothingToSkip() {
        PartitionProgress p = new PartitionProgress();
        p.add(7).written();
        p.add(8).written();
        assertEquals(9, p.advance());
        assertEquals("", p.writtenBeyond());
        assertNull(p.failedAtFront());
        assertTrue(PartitionProgress.parse(9, "").isEmpty());
        assertTrue(PartitionProgress.parse(9, "not ours").isEmpty(), "another writer's metadata skips nothing");
    }
}
