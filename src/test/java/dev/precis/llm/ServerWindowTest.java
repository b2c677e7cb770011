package dev.precis.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.precis.chunking.ModelProfile;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The window and the token ratios a server reveals, and the truncation check against them. */
class ServerWindowTest {

    private static final ModelProfile CONFIGURED = new ModelProfile("open-model", 8192, 1024, "o200k_base", 64);
    private static final String ENGLISH = "The committee reviewed the annual budget in 1998. ".repeat(40);
    private static final String KOREAN = "위원회는 올해 예산을 검토했습니다. ".repeat(40);

    private static ModelServer says(int window) {
        return new ModelServer() {
            @Override
            public Optional<ModelServer.Discovered> discover() {
                return Optional.of(new ModelServer.Discovered("test server", window, 32_768, "test"));
            }

            @Override
            public int count(String system, String user) {
                return -1;
            }
        };
    }

    @Test
    void theWindowIsTheSmallestOfConfiguredAndDiscovered() {
        assertEquals(4096, new ServerWindow(CONFIGURED, says(4096), false).contextWindow());
        assertEquals(8192, new ServerWindow(CONFIGURED, says(32_768), false).contextWindow());
        assertEquals(8192, new ServerWindow(CONFIGURED, ModelServer.NONE, false).contextWindow());
    }

    @Test
    void theServerIsAskedOnceNotPerCall() {
        AtomicInteger asked = new AtomicInteger();
        ServerWindow w = new ServerWindow(CONFIGURED, new ModelServer() {
            @Override
            public Optional<ModelServer.Discovered> discover() {
                asked.incrementAndGet();
                return Optional.empty();
            }

            @Override
            public int count(String system, String user) {
                return -1;
            }
        }, false);
        for (int i = 0; i < 100; i++) {
            w.contextWindow();
        }
        assertEquals(1, asked.get());
    }

    @Test
    void aRefusalWithNumbersTeachesTheWindowAndTheRatioOfItsScript() {
        ServerWindow w = new ServerWindow(CONFIGURED, ModelServer.NONE, false);
        w.refused(3000, 2900, KOREAN, new ContextRefusal(4096, 5400, "too long"), 0);
        assertEquals(4096, w.contextWindow());
        // (5,400 - 100 tokens of English scaffolding) / 2,900 = 1.83, plus 4% headroom.
        assertEquals(1.83 * 1.04, w.ratio(KOREAN), 0.02);
        assertTrue(w.ratio(ENGLISH) < 1.25, "English is not Korean: " + w.ratio(ENGLISH));
        assertFalse(w.fits(2500, KOREAN, 200), "2,500 local tokens of Korean are about 4,600 on this server");
        assertTrue(w.fits(2500, ENGLISH, 200));
    }

    @Test
    void aPromptReportedAtAboutHalfOfWhatWasSentWasTruncated() {
        ServerWindow w = new ServerWindow(CONFIGURED, ModelServer.NONE, false);
        assertEquals(ServerWindow.Check.TRUNCATED, w.answered(7000, 6800, ENGLISH, 2050));
        assertTrue(w.contextWindow() <= 2050, "a window no larger than what the server read: " + w.contextWindow());
        assertEquals(1, w.truncatedCalls());
    }

    @Test
    void aTokenizerThatCountsFewerTokensIsNotTakenForTruncation() {
        ServerWindow w = new ServerWindow(CONFIGURED, ModelServer.NONE, false);
        // Gemma 3 counts Japanese at about 0.71 of o200k_base.
        String japanese = "委員会は今年の予算を見直しました。".repeat(60);
        assertEquals(ServerWindow.Check.WHOLE, w.answered(3000, 2900, japanese, 2140));
        assertEquals(ServerWindow.Check.WHOLE, w.answered(1000, 900, japanese, 715));
        assertEquals(ServerWindow.Check.TRUNCATED, w.answered(3000, 2900, japanese, 1020));
    }

    @Test
    void noReportedUsageCannotBeChecked() {
        ServerWindow w = new ServerWindow(CONFIGURED, ModelServer.NONE, false);
        assertEquals(ServerWindow.Check.UNCHECKED, w.answered(3000, 2900, ENGLISH, 0));
    }

    @Test
    void anExactTokenizerLearnsNoRatio() {
        ServerWindow w = ServerWindow.fixed(CONFIGURED);
        w.answered(3000, 2900, KOREAN, 6000);
        assertEquals(1.0, w.ratio(KOREAN));
    }
}
