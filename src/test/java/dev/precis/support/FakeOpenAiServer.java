package dev.precis.support;

import java.util.concurrent.CountDownLatch;

/**
 * Runs fake OpenAI-compatible endpoints outside the tests, for trying the evaluation command's
 * plumbing by hand: {@code java ... FakeOpenAiServer 2048 8192} starts one per context window and
 * prints their base URLs. Stops with the process.
 */
public final class FakeOpenAiServer {

    private FakeOpenAiServer() {
    }

    public static void main(String[] args) throws Exception {
        for (String window : args) {
            FakeOpenAi fake = new FakeOpenAi(Integer.parseInt(window));
            System.out.println("context window " + window + ": " + fake.baseUrl());
        }
        new CountDownLatch(1).await();
    }
}
