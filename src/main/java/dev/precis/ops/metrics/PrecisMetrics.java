package dev.precis.ops.metrics;

import dev.precis.llm.LlmException;
import dev.precis.llm.LlmReply;
import dev.precis.llm.ModelGateway;
import dev.precis.llm.Pricing;
import dev.precis.llm.batch.BatchApi;
import dev.precis.llm.batch.BatchClient;
import dev.precis.summarize.StageTimer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The worker's meters, named after Micrometer conventions with OpenTelemetry GenAI attribute names
 * as tags: tokens and durations of every model call, whatever its provider, with the pipeline
 * stage, outcomes, retries and cost.
 */
@ApplicationScoped
public class PrecisMetrics implements StageTimer, ModelGateway.Listener {

    private final MeterRegistry registry;
    private final AtomicInteger documentsInFlight = new AtomicInteger();
    private final AtomicInteger callsInFlight = new AtomicInteger();
    // The meters of every document, kept rather than looked up by name and tags for each one.
    private final Map<String, Timer> documentTimers = new ConcurrentHashMap<>();
    private final Map<String, Counter> documentCounters = new ConcurrentHashMap<>();
    private final Map<String, Timer> stageTimers = new ConcurrentHashMap<>();
    private final Map<String, CallMeters> callMeters = new ConcurrentHashMap<>();

    public PrecisMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("precis.documents.in.flight", documentsInFlight, AtomicInteger::get)
                .description("Documents being summarized now").register(registry);
        Gauge.builder("precis.llm.calls.in.flight", callsInFlight, AtomicInteger::get)
                .description("Model calls waiting for an answer now").register(registry);
    }

    /** Publishes the call ceiling and the slots free under it. */
    public void concurrency(String model, int ceiling, IntSupplier limit, IntSupplier available) {
        Gauge.builder("precis.llm.concurrency.ceiling", () -> ceiling).tag("gen_ai.request.model", model)
                .description("Most model calls ever allowed in flight (configured)").register(registry);
        Gauge.builder("precis.llm.concurrency.limit", limit::getAsInt).tag("gen_ai.request.model", model)
                .description("Model calls allowed in flight now (lowered on 429, 5xx and timeouts)").register(registry);
        Gauge.builder("precis.llm.concurrency.available", available::getAsInt).tag("gen_ai.request.model", model)
                .description("Model call slots free now").register(registry);
    }

    /** The token budget a model's calls are charged against (configured or stated by the provider); 0 without one. */
    public void budget(String model, java.util.function.LongSupplier perMinute, java.util.function.LongSupplier available) {
        Gauge.builder("precis.llm.budget.tokens.per.minute", () -> perMinute.getAsLong()).tag("gen_ai.request.model", model)
                .baseUnit("tokens").description("Tokens per minute calls may be charged (after a 1% reserve)").register(registry);
        Gauge.builder("precis.llm.budget.tokens.available", () -> available.getAsLong()).tag("gen_ai.request.model", model)
                .baseUnit("tokens").description("Tokens a call could be charged now without waiting").register(registry);
    }

    /** This pod's share of the group's budget for {@code model}, the pods sharing it, and what the group spends. */
    public void groupBudget(String model, java.util.function.Supplier<dev.precis.llm.BudgetGroup.State> state) {
        Gauge.builder("precis.llm.budget.share", () -> state.get().share()).tag("gen_ai.request.model", model)
                .description("Part of the group's per-minute budget this pod may spend (1 when alone)").register(registry);
        Gauge.builder("precis.llm.budget.group.members", () -> state.get().members()).tag("gen_ai.request.model", model)
                .description("Pods sharing the model's budget, this one included").register(registry);
        Gauge.builder("precis.llm.budget.group.spent.per.minute", () -> state.get().groupPerMinute())
                .tag("gen_ai.request.model", model).baseUnit("tokens")
                .description("What the whole group was charged per minute in its last round, as its pods reported")
                .register(registry);
    }

    /** The window requests to {@code model} are sized for, and the calls its server refused or truncated. */
    public void window(String model, dev.precis.llm.ServerWindow window) {
        Gauge.builder("precis.model.context.window", window::currentWindow).tag("gen_ai.request.model", model)
                .baseUnit("tokens").description("Context window requests are sized for (configured, discovered or learned)")
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("precis.llm.window.refused", window,
                dev.precis.llm.ServerWindow::refusedCalls).tag("gen_ai.request.model", model)
                .description("Calls the server refused as over its context window").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("precis.llm.window.truncated", window,
                dev.precis.llm.ServerWindow::truncatedCalls).tag("gen_ai.request.model", model)
                .description("Answers discarded because the server silently truncated their prompt").register(registry);
    }

    public void paused(String model, java.util.function.BooleanSupplier paused) {
        Gauge.builder("precis.llm.paused", () -> paused.getAsBoolean() ? 1 : 0).tag("gen_ai.request.model", model)
                .description("1 while the model's calls are held (no quota or bad credentials)").register(registry);
    }

    /** Documents being summarized now. */
    public int documentsInFlight() {
        return documentsInFlight.get();
    }

    public void documentStarted() {
        documentsInFlight.incrementAndGet();
        documents("received", "none");
    }

    /** A document left the pipeline: {@code outcome} is summarized, failed or dead_lettered. */
    public void documentDone(String outcome, String reason, long nanos) {
        documentsInFlight.decrementAndGet();
        documents(outcome, reason);
        documentTimers.computeIfAbsent(outcome, o -> Timer.builder("precis.document.duration")
                .description("Time from reading a record to its result").tag("outcome", o)
                .publishPercentileHistogram().register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    private void documents(String outcome, String reason) {
        documentCounters.computeIfAbsent(outcome + '\n' + reason, k -> Counter.builder("precis.documents")
                .description("Documents by outcome and reason").tag("outcome", outcome).tag("reason", reason)
                .register(registry)).increment();
    }

    @Override
    public void record(String stage, long nanos) {
        stageTimers.computeIfAbsent(stage, s -> Timer.builder("precis.stage.duration")
                .description("Time spent in one pipeline stage").tag("stage", s).publishPercentileHistogram()
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void retrying(LlmException failure, long waitMillis) {
        Counter.builder("precis.llm.retries").description("Model calls retried, by reason")
                .tag("reason", tagOf(failure.kind().name())).register(registry).increment();
    }

    void callStarted() {
        callsInFlight.incrementAndGet();
    }

    /** One model call ended: {@code outcome} is ok or the failure kind. */
    void callDone(String model, String stage, String outcome, LlmReply reply, double cost, long nanos) {
        callsInFlight.decrementAndGet();
        String mode = reply != null && reply.batch() ? "batch" : "online";
        // Kept per kind of call rather than looked up by name and tags for every call.
        CallMeters meters = callMeters.computeIfAbsent(model + '\n' + stage + '\n' + outcome + '\n' + mode,
                k -> newCallMeters(model, stage, outcome, mode));
        meters.calls().increment();
        meters.duration().record(nanos, TimeUnit.NANOSECONDS);
        if (reply != null) {
            meters.input().increment(reply.inputTokens());
            meters.output().increment(reply.outputTokens());
            meters.cached().increment(reply.cachedTokens());
            meters.cost().increment(cost);
        }
    }

    /** The meters of one kind of model call. */
    private record CallMeters(Counter calls, Timer duration, Counter input, Counter output, Counter cached,
            Counter cost) {
    }

    private CallMeters newCallMeters(String model, String stage, String outcome, String mode) {
        return new CallMeters(Counter.builder("precis.llm.calls").description("Model calls by outcome")
                .tag("gen_ai.request.model", model).tag("stage", stage).tag("outcome", outcome).register(registry),
                Timer.builder("precis.llm.call.duration").description("Duration of model calls, by stage")
                        .tag("gen_ai.request.model", model).tag("stage", stage).tag("outcome", outcome)
                        .publishPercentileHistogram().register(registry),
                tokens(model, stage, mode, "input"), tokens(model, stage, mode, "output"),
                tokens(model, stage, mode, "cached"),
                Counter.builder("precis.llm.cost").baseUnit("usd").description("Estimated model cost in US dollars")
                        .tag("gen_ai.request.model", model).tag("stage", stage).tag("mode", mode).register(registry));
    }

    /** Tokens and cost of a batch line's answer, at the Batch API's price. */
    private void spent(String model, String stage, LlmReply reply, double cost) {
        String mode = reply.batch() ? "batch" : "online";
        tokens(model, stage, mode, "input").increment(reply.inputTokens());
        tokens(model, stage, mode, "output").increment(reply.outputTokens());
        tokens(model, stage, mode, "cached").increment(reply.cachedTokens());
        Counter.builder("precis.llm.cost").baseUnit("usd").description("Estimated model cost in US dollars")
                .tag("gen_ai.request.model", model).tag("stage", stage).tag("mode", mode).register(registry)
                .increment(cost);
    }

    private Counter tokens(String model, String stage, String mode, String type) {
        return Counter.builder("precis.llm.tokens").description("Tokens sent to and received from models")
                .tag("gen_ai.request.model", model).tag("gen_ai.token.type", type).tag("stage", stage)
                .tag("mode", mode).register(registry);
    }

    /** What a model's batches do: requests by fate, batches by how they ended, and what their answers cost. */
    public BatchClient.Listener batches(Pricing pricing) {
        return new BatchClient.Listener() {
            @Override
            public void submitted(String model, int requests) {
                batchRequests(model, "submitted").increment(requests);
            }

            @Override
            public void line(String model, String stage, String fate, LlmReply reply) {
                batchRequests(model, fate).increment();
                if (reply != null) {
                    spent(model, stage, reply, pricing.cost(reply));
                }
            }

            @Override
            public void batchFinished(String model, BatchApi.Status status) {
                Counter.builder("precis.batch.batches").description("Batches by how they ended")
                        .tag("gen_ai.request.model", model).tag("status", tagOf(status.name())).register(registry)
                        .increment();
            }
        };
    }

    private Counter batchRequests(String model, String fate) {
        return Counter.builder("precis.batch.requests")
                .description("Batch API requests: submitted, answered, failed, retried, resubmitted, online")
                .tag("gen_ai.request.model", model).tag("fate", fate).register(registry);
    }

    /** Requests waiting for a batch (collecting or sent) and batches not yet finished, per model. */
    public void batchGauges(String model, IntSupplier requests, IntSupplier batches) {
        Gauge.builder("precis.batch.pending.requests", requests::getAsInt).tag("gen_ai.request.model", model)
                .description("Requests waiting for a batch answer").register(registry);
        Gauge.builder("precis.batch.pending.batches", batches::getAsInt).tag("gen_ai.request.model", model)
                .description("Batches at the provider not yet finished").register(registry);
    }

    /** A metric tag value from an enum name. */
    public static String tagOf(String value) {
        return value.toLowerCase(Locale.ROOT);
    }
}
