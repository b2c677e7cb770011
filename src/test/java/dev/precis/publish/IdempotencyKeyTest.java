package dev.precis.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.precis.pipeline.Document;
import org.junit.jupiter.api.Test;

class IdempotencyKeyTest {

    private static Document doc(String text, int tokens, String target) {
        return new Document("d-1", "t", text, "en", target, tokens, null, null, null);
    }

    @Test
    void isStableForTheSameInputAndChangesWithWhatShapesTheSummary() {
        String key = IdempotencyKey.of(doc("Some text.", 200, null), "gpt-4o-mini");
        assertEquals(key, IdempotencyKey.of(doc("Some text.", 200, null), "gpt-4o-mini"));
        assertTrue(key.startsWith("d-1:") && key.endsWith(":" + IdempotencyKey.PIPELINE_VERSION + "/gpt-4o-mini"), key);
        assertNotEquals(key, IdempotencyKey.of(doc("Some text!", 200, null), "gpt-4o-mini"));
        assertNotEquals(key, IdempotencyKey.of(doc("Some text.", 100, null), "gpt-4o-mini"));
        assertNotEquals(key, IdempotencyKey.of(doc("Some text.", 200, "de"), "gpt-4o-mini"));
        assertNotEquals(key, IdempotencyKey.of(doc("Some text.", 200, null), "extractive"));
    }
}
