package dev.precis.ingest;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A span per document when traces are exported: it continues the trace its record's headers carry
 * (W3C trace context), the model calls become its children, and its context is written into the
 * output's headers, so that the result belongs to the producer's trace.
 */
final class DocumentTraces {

    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            List<String> keys = new ArrayList<>();
            carrier.forEach(h -> keys.add(h.key()));
            return keys;
        }

        @Override
        public String get(Headers carrier, String key) {
            Header h = carrier == null ? null : carrier.lastHeader(key);
            return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    DocumentTraces(OpenTelemetry telemetry, Tracer tracer) {
        this.tracer = tracer;
        this.propagator = telemetry.getPropagators().getTextMapPropagator();
    }

    /** Starts the document's span, child of the trace its record carries. */
    Span start(ConsumerRecord<byte[], byte[]> r) {
        Context parent = propagator.extract(Context.root(), r.headers(), HEADERS);
        return tracer.spanBuilder("summarize document").setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka").setAttribute("messaging.destination.name", r.topic())
                .startSpan();
    }

    /** Writes the span's context into the output's headers (replacing any copied from the input). */
    void inject(Span span, Headers out) {
        propagator.fields().forEach(out::remove);
        propagator.inject(Context.root().with(span), out,
                (carrier, key, value) -> carrier.add(key, value.getBytes(StandardCharsets.UTF_8)));
    }
}
