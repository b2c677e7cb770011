package dev.precis.llm;

/** Told about each retry the gateway makes: what failed and how long it waits before the next attempt. */
public interface RetryListener {

    RetryListener NONE = (failure, waitMillis) -> { };

    void retrying(LlmException failure, long waitMillis);
}
