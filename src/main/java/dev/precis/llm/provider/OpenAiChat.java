package dev.precis.llm.provider;

import dev.precis.llm.LlmCall;
import dev.precis.llm.LlmClient;
import dev.precis.llm.LlmException;
import dev.precis.llm.LlmReply;
import dev.precis.llm.ProviderSignals;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Chat completions from any OpenAI-compatible server (OpenAI, Azure, vLLM, llama.cpp, Ollama's
 * {@code /v1}, LM Studio, OpenRouter) on the JDK's HTTP client: one request, one JSON body, the
 * headers handed to the call's {@link ProviderSignals}, an error answered with the server's own
 * words. A full framework client spent several times the CPU of the call itself on filters,
 * proxies and reactive plumbing; this is the path every model-backed document takes.
 */
public final class OpenAiChat implements LlmClient {

    private static final Duration CONNECT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final URI endpoint;
    private final String model;
    private final String authorization;
    private final Double temperature;
    private final Duration timeout;
    private final Consumer<HttpRequest.Builder> context;

    /**
     * {@code apiKey}: sent as a bearer token, none when null or blank; {@code temperature}: the
     * server's default when null; {@code timeout}: the longest a call may take, streamed or not;
     * {@code context}: adds headers the caller's context needs (a trace's {@code traceparent}).
     */
    public OpenAiChat(String baseUrl, String model, String apiKey, Double temperature, Duration timeout,
            Consumer<HttpRequest.Builder> context) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.endpoint = URI.create(base + "/chat/completions");
        this.model = model;
        this.authorization = apiKey == null || apiKey.isBlank() ? null : "Bearer " + apiKey;
        this.temperature = temperature;
        this.timeout = timeout;
        this.context = context;
        // Plain-text servers (Ollama, vLLM, llama.cpp on http://) would be offered an h2c upgrade they mishandle.
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT.compareTo(timeout) < 0 ? CONNECT : timeout)
                .version("https".equalsIgnoreCase(endpoint.getScheme()) ? HttpClient.Version.HTTP_2
                        : HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL)
                // Answers are read where they arrive: a hand-off to a pool thread per response cost
                // more CPU than reading them, and nothing done with an answer here blocks.
                .executor(Runnable::run).build();
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public LlmReply complete(LlmCall call) {
        boolean streamed = call.streamed();
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ChatCompletions.request(model, temperature, call, streamed)));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        context.accept(request);
        ProviderSignals signals = ProviderSignals.current();
        if (streamed) {
            call.sink().begin();
        }
        CompletableFuture<HttpResponse<LlmReply>> answer = http.sendAsync(request.build(), info -> {
            if (signals != null) {
                signals.observe(info.statusCode(), name -> first(info.headers(), name));
            }
            if (info.statusCode() / 100 != 2) {
                return BodySubscribers.mapping(BodySubscribers.ofString(StandardCharsets.UTF_8),
                        text -> { throw ProviderErrors.classify(info.statusCode(), text, false, false, null, null); });
            }
            if (streamed && first(info.headers(), "content-type") != null
                    && first(info.headers(), "content-type").startsWith("text/event-stream")) {
                ServerSentAnswer events = new ServerSentAnswer(call.sink());
                return BodySubscribers.fromLineSubscriber(events, ServerSentAnswer::reply,
                        StandardCharsets.UTF_8, null);
            }
            return BodySubscribers.mapping(BodySubscribers.ofByteArray(), bytes -> whole(bytes, call, streamed));
        });
        return await(answer);
    }

    /** A complete JSON answer; passed on whole to a listener that asked for a stream the server did not give. */
    private static LlmReply whole(byte[] bytes, LlmCall call, boolean streamed) {
        LlmReply reply;
        try {
            reply = ChatCompletions.reply(ChatCompletions.JSON.readTree(bytes));
        } catch (IOException e) {
            throw new LlmException(LlmException.Kind.UNAVAILABLE, "The server's answer is not a chat completion: "
                    + ServerMessage.of(new String(bytes, StandardCharsets.UTF_8)), -1, e);
        }
        if (streamed) {
            call.sink().text(reply.text());
        }
        return reply;
    }

    private LlmReply await(CompletableFuture<HttpResponse<LlmReply>> answer) {
        try {
            // The request's own timeout ends at the headers; this one bounds the body too.
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS).body();
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new LlmException(LlmException.Kind.UNAVAILABLE, "Interrupted while the model was answering");
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw ProviderErrors.classify(-1, "", true, false, "no answer within " + timeout, e);
        } catch (ExecutionException e) {
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof LlmException llm) {
                    throw llm;
                }
            }
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw ProviderErrors.classify(-1, "", true, false, cause.getClass().getSimpleName(), cause);
        }
    }

    private static String first(HttpHeaders headers, String name) {
        return headers.firstValue(name).orElse(null);
    }
}
