package dev.precis.chunking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ModelProfilesTest {

    @Test
    void findsTheLongestMatchingBuiltInProfile() {
        assertEquals(128_000, ModelProfiles.builtIn("gpt-4o-mini-2024-07-18").orElseThrow().contextWindow());
        assertEquals("cl100k_base", ModelProfiles.builtIn("gpt-4-turbo-2024-04-09").orElseThrow().encoding());
        assertEquals(8_192, ModelProfiles.builtIn("gpt-4").orElseThrow().contextWindow());
        assertEquals(1_047_576, ModelProfiles.builtIn("GPT-4.1-mini").orElseThrow().contextWindow());
        assertTrue(ModelProfiles.builtIn("llama3.1:8b").isEmpty());
        assertTrue(ModelProfiles.builtIn("gpt-4ox").isEmpty());
    }

    @Test
    void theInputBudgetLeavesRoomForOutputAndMargin() {
        ModelProfile p = new ModelProfile("m", 4096, 1024, "o200k_base", 100);
        assertEquals(4096 - 100 - 300, p.inputBudget(300));
        assertEquals(4096 - 100 - 1024, p.inputBudget(5000));
        assertThrows(IllegalArgumentException.class, () -> new ModelProfile("m", 1000, 990, "o200k_base", 20));
    }
}
