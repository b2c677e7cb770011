package dev.precis.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PartialReuseTest {

    private final dev.precis.support.MemoryPartialStore store = new dev.precis.support.MemoryPartialStore();
    private final Map<String, PartialStore.Partial> kept = store.kept();
    private final AtomicInteger paid = new AtomicInteger();
    private final LlmClient model = new LlmClient() {
        @Override
        public LlmReply complete(LlmCall call) {
            paid.incrementAndGet();
            return new LlmReply("summary of " + call.user(), 100, 10, call.user().contains("long"));
        }

        @Override
        public String model() {
            return "m";
        }
    };

    @Test
    void aPartialAnswerIsPaidForOnceAndReusedAfterwards() {
        PartialReuse reuse = new PartialReuse(model, store, "p1");
        LlmReply first = reuse.complete(new LlmCall("map", "s", "chunk 1", 50));
        LlmReply again = reuse.complete(new LlmCall("map", "s", "chunk 1", 50));
        assertEquals(1, paid.get());
        assertFalse(first.reused());
        assertTrue(again.reused());
        assertEquals(first.text(), again.text());
        assertEquals(0, again.inputTokens(), "a reused answer costs nothing this time");
    }

    @Test
    void anythingThatShapesTheAnswerMakesADifferentKey() {
        PartialReuse reuse = new PartialReuse(model, store, "p1");
        reuse.complete(new LlmCall("map", "s", "chunk 1", 50));
        reuse.complete(new LlmCall("map", "s", "chunk 1", 60));
        reuse.complete(new LlmCall("map", "s2", "chunk 1", 50));
        new PartialReuse(model, store, "p2").complete(new LlmCall("map", "s", "chunk 1", 50));
        assertEquals(4, paid.get());
    }

    @Test
    void finalCallsAndTruncatedAnswersAreNotStored() {
        PartialReuse reuse = new PartialReuse(model, store, "p1");
        reuse.complete(new LlmCall("reduce", "s", "all", 50));
        reuse.complete(new LlmCall("reduce", "s", "all", 50));
        reuse.complete(new LlmCall("map", "s", "a long chunk", 50));
        reuse.complete(new LlmCall("map", "s", "a long chunk", 50));
        assertEquals(4, paid.get());
        assertTrue(kept.isEmpty());
    }
}
