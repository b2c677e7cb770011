package dev.precis.support;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.locks.LockSupport;

/**
 * The failures {@link FakeOpenAi} is told to answer with, in the provider's words: a refused
 * account, scripted statuses (429 with its retry hints, 5xx), an outage for the documents holding a
 * marker, and stalls.
 */
final class FakeFaults {

    /** How a request that got a fault is recorded: its status. */
    interface Recorder {
        void record(int status);
    }

    private final Deque<int[]> scripted = new ConcurrentLinkedDeque<>();
    private final Deque<Long> stalls = new ConcurrentLinkedDeque<>();
    private final Map<String, Long> marked = new ConcurrentHashMap<>();
    private final Map<String, Long> markedSince = new ConcurrentHashMap<>();
    private volatile String accountRefusal;

    void failNext(int status, int times) {
        for (int i = 0; i < times; i++) {
            scripted.add(new int[] {status});
        }
    }

    void throttleNext(int times, int retryAfterSeconds) {
        for (int i = 0; i < times; i++) {
            scripted.add(new int[] {429, retryAfterSeconds});
        }
    }

    void stallNext(int times, long millis) {
        for (int i = 0; i < times; i++) {
            stalls.add(millis);
        }
    }

    void refuseAccount(String code) {
        accountRefusal = code;
    }

    void unavailableFor(String marker, Duration window) {
        marked.put(marker, window.toNanos());
        markedSince.remove(marker);
    }

    /** The next scripted failure ({status} or {429, retry-after seconds}), or null. */
    int[] next() {
        return scripted.poll();
    }

    void reset() {
        marked.clear();
        markedSince.clear();
        scripted.clear();
        stalls.clear();
        accountRefusal = null;
    }

    /** Answers with the fault this request gets, if any; false when it is to be answered normally. */
    boolean answered(HttpExchange exchange, String user, Recorder recorder) throws IOException {
        String refusal = accountRefusal;
        if (refusal != null) {
            recorder.record(refusal.equals("insufficient_quota") ? 429 : 401);
            refuse(exchange, refusal);
            return true;
        }
        int[] failure = scripted.poll();
        if (failure != null) {
            recorder.record(failure[0]);
            if (failure.length > 1) {
                exchange.getResponseHeaders().add("Retry-After", Integer.toString(failure[1]));
                FakeHttp.send(exchange, 429, FakeHttp.openAiError("Too many requests.", "requests", "rate_limit_exceeded"));
            } else {
                fail(exchange, failure[0]);
            }
            return true;
        }
        for (var m : marked.entrySet()) {
            long since = user.contains(m.getKey()) ? markedSince.computeIfAbsent(m.getKey(), k -> System.nanoTime()) : 0;
            if (user.contains(m.getKey()) && System.nanoTime() - since < m.getValue()) {
                recorder.record(503);
                fail(exchange, 503);
                return true;
            }
        }
        Long stall = stalls.poll();
        if (stall != null) {
            // A hung server: recorded as 408, then it hangs up without an answer.
            recorder.record(408);
            LockSupport.parkNanos(stall * 1_000_000);
            return true;
        }
        return false;
    }

    private static void refuse(HttpExchange exchange, String code) throws IOException {
        if (code.equals("insufficient_quota")) {
            FakeHttp.send(exchange, 429, FakeHttp.openAiError("You exceeded your current quota, please check your plan "
                    + "and billing details.", "insufficient_quota", "insufficient_quota"));
        } else {
            FakeHttp.send(exchange, 401, FakeHttp.openAiError("Incorrect API key provided.", "invalid_request_error",
                    "invalid_api_key"));
        }
    }

    private static void fail(HttpExchange exchange, int status) throws IOException {
        if (status == 429) {
            exchange.getResponseHeaders().add("Retry-After", "2");
            exchange.getResponseHeaders().add("retry-after-ms", "1500");
            FakeHttp.send(exchange, 429, FakeHttp.openAiError("Rate limit reached for requests per min. Please try "
                    + "again in 1.5s.", "requests", "rate_limit_exceeded"));
        } else {
            FakeHttp.send(exchange, status, FakeHttp.openAiError("The server had an error while processing your "
                    + "request.", "server_error", null));
        }
    }
}
