package dev.precis.ops.metrics;

import dev.precis.llm.LlmCall;
import dev.precis.llm.LlmClient;
import dev.precis.llm.LlmException;
import dev.precis.llm.LlmReply;
import dev.precis.llm.Pricing;
import dev.precis.ops.health.ModelState;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/** Measures and traces every model call (each attempt, so 429s count) and keeps the endpoint's state. */
public final class MeteredLlmClient implements LlmClient {

    private final LlmClient delegate;
    private final PrecisMetrics metrics;
    private final ModelState state;
    private final Tracer tracer;
    private final Pricing pricing;

    public MeteredLlmClient(LlmClient delegate, PrecisMetrics metrics, ModelState state, Tracer tracer, Pricing pricing) {
        this.delegate = delegate;
        this.metrics = metrics;
        this.state = state;
        this.tracer = tracer;
        this.pricing = pricing;
    }

    @Override
    public LlmReply complete(LlmCall call) {
        Span span = tracer.spanBuilder("chat " + model()).setSpanKind(SpanKind.CLIENT)
                .setAttribute("gen_ai.operation.name", "chat")
                .setAttribute("gen_ai.request.model", model())
                .setAttribute("gen_ai.request.max_tokens", call.maxOutputTokens())
                .setAttribute("precis.stage", call.stage())
                .startSpan();
        long start = System.nanoTime();
        metrics.callStarted();
        try (Scope ignored = span.makeCurrent()) {
            LlmReply reply = delegate.complete(call);
            span.setAttribute("gen_ai.usage.input_tokens", reply.inputTokens());
            span.setAttribute("gen_ai.usage.output_tokens", reply.outputTokens());
            span.setAttribute("gen_ai.response.finish_reasons", reply.truncated() ? "length" : "stop");
            metrics.callDone(model(), call.stage(), "ok", reply,
                    pricing.cost(reply.inputTokens(), reply.outputTokens(), reply.cachedTokens()), System.nanoTime() - start);
            state.succeeded(model());
            return reply;
        } catch (LlmException e) {
            String outcome = PrecisMetrics.tagOf(e.kind().name());
            span.setStatus(StatusCode.ERROR, e.kind().name());
            span.setAttribute("error.type", outcome);
            metrics.callDone(model(), call.stage(), outcome, null, 0, System.nanoTime() - start);
            state.failed(model(), e);
            throw e;
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            metrics.callDone(model(), call.stage(), "error", null, 0, System.nanoTime() - start);
            throw e;
        } finally {
            span.end();
        }
    }

    @Override
    public String model() {
        return delegate.model();
    }
}
