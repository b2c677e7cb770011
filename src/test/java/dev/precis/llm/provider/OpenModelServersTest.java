package dev.precis.llm.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.precis.chunking.ModelProfile;
import dev.precis.support.servers.FakeLlamaCpp;
import dev.precis.support.servers.FakeOllama;
import dev.precis.support.servers.FakeOpenModelServer;
import dev.precis.support.servers.FakeVllm;
import dev.precis.support.servers.ServerTokenizer;
import org.junit.jupiter.api.Test;

/**
 * The three open-model servers as a new user meets them, with the README's settings: each serves
 * a window or counts tokens otherwise than configured. Every document must be summarized, no answer
 * from a truncated prompt may be used, and at most two calls per run may be refused for length.
 */
class OpenModelServersTest {

    @Test
    void ollamaServingASmallerWindowThanConfiguredIsFoundAndNothingIsTruncated() throws Exception {
        try (FakeOllama ollama = new FakeOllama("llama3.1:8b", 4096, 131_072, ServerTokenizer.scaled(0.99, 1.04))) {
            OpenModelRun run = run(ollama, 8192, 2048, "Ollama, 4096 served, 8192 configured");
            assertEquals(4096, run.window().currentWindow(), run.window().describe());
            assertEquals(0, run.truncated(), "calls truncated");
        }
    }

    @Test
    void llamaCppWithATokenizerThatCountsHangulTwiceRefusesAtMostTwoCalls() throws Exception {
        try (FakeLlamaCpp llama = new FakeLlamaCpp("mistral-7b-instruct", 4096, 32_768, ServerTokenizer.scaled(1.05, 1.83))) {
            OpenModelRun run = run(llama, 4096, 1024, "llama.cpp, n_ctx 4096, Hangul 1.83x");
            assertTrue(run.refused() <= 2, "refused " + run.refused());
        }
    }

    @Test
    void vllmWithAShorterMaxModelLenThanTheTrainedWindowIsFound() throws Exception {
        try (FakeVllm vllm = new FakeVllm("Qwen/Qwen3-8B", 8192, FakeVllm.Wording.NEW, ServerTokenizer.scaled(0.99, 1.2))) {
            OpenModelRun run = run(vllm, 32_768, 4096, "vLLM, max_model_len 8192, 32768 configured");
            assertEquals(8192, run.window().currentWindow(), run.window().describe());
            assertTrue(run.refused() <= 2, "refused " + run.refused());
        }
    }

    @Test
    void anOldOllamaThatDoesNotSayItsWindowTruncatesSilentlyAndTheAnswerIsNeverUsed() throws Exception {
        try (FakeOllama ollama = new FakeOllama("llama3.1:8b", 4096, 131_072, ServerTokenizer.scaled(0.99, 1.04))
                .beforeContextLength()) {
            OpenModelRun run = run(ollama, 8192, 2048, "Ollama before 0.10, 4096 served, 8192 configured");
            assertTrue(run.truncated() >= 1, "the first over-long call is truncated: nothing says the window");
            assertEquals(run.truncated(), run.window().truncatedCalls(), "every truncation detected");
            assertTrue(run.truncated() <= 2, "then requests fit: " + run.truncated());
            assertTrue(run.summaries().stream().anyMatch(s -> s.warnings().stream().anyMatch(w -> w.contains("truncated"))),
                    "the result says what happened");
        }
    }

    @Test
    void anOllamaThatKeepsExactlyItsUnsaidWindowIsCaughtByTheCountItReports() throws Exception {
        try (FakeOllama ollama = new FakeOllama("llama3.1:8b", 4096, 131_072, ServerTokenizer.scaled(0.99, 1.04))
                .beforeContextLength().keepingTheWholeWindow()) {
            OpenModelRun run = run(ollama, 8192, 2048, "Ollama keeping exactly 4096 of longer prompts, window not reported");
            assertEquals(run.truncated(), run.window().truncatedCalls(), "every truncation detected");
            assertTrue(run.truncated() <= 2, "truncated " + run.truncated());
            assertEquals(4096, run.window().currentWindow(), "the window it keeps is the window it serves");
        }
    }

    @Test
    void vllmThatCannotBeAskedIsLearnedFromTheNumbersInEachGenerationsRefusal() throws Exception {
        for (FakeVllm.Wording wording : FakeVllm.Wording.values()) {
            try (FakeVllm vllm = new FakeVllm("Qwen/Qwen3-8B", 8192, wording, ServerTokenizer.scaled(0.99, 1.2)).hidden()) {
                OpenModelRun run = run(vllm, 32_768, 4096, "vLLM hidden, " + wording + " wording");
                assertTrue(run.refused() >= 1 && run.refused() <= 2, wording + ": refused " + run.refused());
                assertTrue(run.window().currentWindow() <= 8192, run.window().describe());
            }
        }
    }

    @Test
    void llamaCppBehindAProxyTeachesItsTokenRatioThroughItsRefusals() throws Exception {
        try (FakeLlamaCpp llama = new FakeLlamaCpp("mistral-7b-instruct", 4096, 32_768, ServerTokenizer.scaled(1.05, 1.83))
                .hidden()) {
            OpenModelRun run = run(llama, 4096, 1024, "llama.cpp behind a proxy, n_ctx 4096, Hangul 1.83x");
            assertTrue(run.refused() <= 2, "refused " + run.refused());
        }
    }

    @Test
    void ollamaWithoutContextShiftRefusesWithoutNumbersAndTheWindowIsStillFound() throws Exception {
        try (FakeOllama ollama = new FakeOllama("llama3.1:8b", 4096, 131_072, ServerTokenizer.scaled(0.99, 1.04))
                .withoutContextShift().beforeContextLength()) {
            OpenModelRun run = run(ollama, 8192, 2048, "Ollama without context shift, window not reported");
            assertTrue(run.refused() <= 2, "refused " + run.refused());
        }
    }

    /** Ten long documents through {@code server}, configured with {@code window} and {@code output}; all summarized. */
    private static OpenModelRun run(FakeOpenModelServer server, int window, int output, String label) throws Exception {
        OpenModelRun run = OpenModelRun.of(server, new ModelProfile(server.modelName(), window, output, "o200k_base", 64),
                OpenModelRun.longDocuments());
        System.out.println(run.figures(label));
        assertAllSummarized(run);
        return run;
    }

    private static void assertAllSummarized(OpenModelRun run) {
        assertEquals(run.documents(), run.summaries().size(), "failures: " + run.failures());
        assertEquals(0, run.truncatedUsed(), "answers from truncated prompts reached a prompt or a summary");
    }
}
