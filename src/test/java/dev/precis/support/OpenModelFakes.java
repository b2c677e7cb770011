package dev.precis.support;

import dev.precis.support.servers.FakeLlamaCpp;
import dev.precis.support.servers.FakeOllama;
import dev.precis.support.servers.FakeVllm;
import dev.precis.support.servers.ServerTokenizer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Test resource: fake Ollama, llama.cpp and vLLM servers, each a named model configured the way a
 * new user would from the README (Ollama and vLLM with windows larger than they serve).
 */
public class OpenModelFakes implements QuarkusTestResourceLifecycleManager {

    private static FakeOllama ollama;
    private static FakeLlamaCpp llamaCpp;
    private static FakeVllm vllm;
    private static FakeOllama unconfigured;

    public static synchronized FakeOllama ollama() {
        return ollama;
    }

    public static synchronized FakeLlamaCpp llamaCpp() {
        return llamaCpp;
    }

    /** An Ollama model configured with nothing but its name: its window comes from the server. */
    public static synchronized FakeOllama unconfigured() {
        return unconfigured;
    }

    public static synchronized FakeVllm vllm() {
        return vllm;
    }

    @Override
    public synchronized Map<String, String> start() {
        try {
            if (ollama == null) {
                ollama = new FakeOllama("llama3.1:8b", 4096, 131_072, ServerTokenizer.scaled(0.99, 1.04));
                llamaCpp = new FakeLlamaCpp("mistral-7b-instruct", 4096, 32_768, ServerTokenizer.scaled(1.05, 1.83));
                vllm = new FakeVllm("Qwen/Qwen3-8B", 8192, FakeVllm.Wording.NEW, ServerTokenizer.scaled(0.99, 1.2));
                unconfigured = new FakeOllama("qwen2.5:7b", 6144, 32_768, ServerTokenizer.scaled(0.99, 1.2));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> m = new HashMap<>();
        model(m, "ollama", ollama.baseUrl(), ollama.modelName(), 8192, 2048);
        model(m, "llamacpp", llamaCpp.baseUrl(), llamaCpp.modelName(), 4096, 1024);
        model(m, "vllm", vllm.baseUrl(), vllm.modelName(), 32_768, 4096);
        model(m, "typo", vllm.baseUrl(), "Qwen/Qwen3-8B-Instruct", 8192, 1024);
        m.put("precis.models.auto.base-url", unconfigured.baseUrl());
        m.put("precis.models.auto.model-name", unconfigured.modelName());
        return m;
    }

    private static void model(Map<String, String> m, String name, String url, String model, int window, int output) {
        String prefix = "precis.models." + name + ".";
        m.put(prefix + "base-url", url);
        m.put(prefix + "model-name", model);
        m.put(prefix + "context-window", Integer.toString(window));
        m.put(prefix + "max-output-tokens", Integer.toString(output));
    }

    @Override
    public void stop() {
        // Kept for the other test classes of this JVM.
    }
}
