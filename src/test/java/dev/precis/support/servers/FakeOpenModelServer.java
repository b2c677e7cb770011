package dev.precis.support.servers;

import dev.precis.support.FakeHttp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the fake open-model servers share: an HTTP server on a free local port, a chat template
 * whose tokens the server counts with its own tokenizer, a log of every chat request and how it
 * was answered, and deterministic answers (the first words of the material the model was shown).
 */
public abstract class FakeOpenModelServer implements AutoCloseable {

    /** How a chat request was answered: refused for its length, read only in part, or read whole. */
    public enum Outcome { REFUSED, TRUNCATED, WHOLE, OTHER }

    /** One chat request: prompt tokens as the server counted them, what it read, its answer. */
    public record Chat(int promptTokens, int readTokens, int maxTokens, Outcome outcome, String user, String answer) {
    }

    // Per message: a header and an end-of-turn marker; once: the beginning and the assistant's header.
    private static final int TOKENS_PER_MESSAGE = 5;
    private static final int PRIMING = 5;
    private static final Pattern MATERIAL = Pattern.compile("<(document|summaries|text)>\\n?(.*?)\\n?</\\1>", Pattern.DOTALL);

    protected final ObjectMapper json = new ObjectMapper();
    protected final ServerTokenizer tokenizer;
    protected final String modelName;
    private final HttpServer server;
    private final List<Chat> chats = Collections.synchronizedList(new ArrayList<>());
    private final java.util.concurrent.atomic.AtomicInteger answers = new java.util.concurrent.atomic.AtomicInteger();

    protected FakeOpenModelServer(String modelName, ServerTokenizer tokenizer) throws IOException {
        this.modelName = modelName;
        this.tokenizer = tokenizer;
        this.server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", e -> serve(e, this::chat));
        routes(server);
        server.start();
    }

    /** The server's own endpoints beside the chat completions. */
    protected abstract void routes(HttpServer server);

    /** Answers one chat request (already parsed). */
    protected abstract void chat(HttpExchange exchange, ChatRequest request) throws IOException;

    /** A parsed chat request: the two messages, the output cap, and the prompt as the server counts it. */
    public record ChatRequest(String model, String system, String user, int maxTokens, int promptTokens) {
    }

    public String baseUrl() {
        return "http://localhost:" + server.getAddress().getPort() + "/v1";
    }

    public String modelName() {
        return modelName;
    }

    public List<Chat> chats() {
        synchronized (chats) {
            return List.copyOf(chats);
        }
    }

    public long count(Outcome outcome) {
        return chats().stream().filter(c -> c.outcome() == outcome).count();
    }

    /** Answers given to truncated prompts that reappear in a later prompt or in one of {@code results}. */
    public long truncatedAnswersUsed(java.util.Collection<String> results) {
        List<Chat> all = chats();
        return all.stream().filter(c -> c.outcome() == Outcome.TRUNCATED).map(c -> c.answer().substring(0, c.answer().indexOf(')') + 1))
                .filter(tag -> all.stream().anyMatch(o -> o.user().contains(tag)) || results.stream().anyMatch(r -> r.contains(tag)))
                .count();
    }

    /** Tokens the server counts for the two messages with its chat template. */
    protected int templateTokens(String system, String user) {
        return PRIMING + 2 * TOKENS_PER_MESSAGE + tokenizer.count(system) + tokenizer.count(user);
    }

    private void chat(HttpExchange exchange) throws IOException {
        JsonNode body = json.readTree(exchange.getRequestBody());
        String[] messages = messages(body);
        int maxTokens = body.path("max_completion_tokens").asInt(body.path("max_tokens").asInt(0));
        chat(exchange, new ChatRequest(body.path("model").asText(), messages[0], messages[1], maxTokens,
                templateTokens(messages[0], messages[1])));
    }

    /** The system and the (last) user message of a request's {@code messages}. */
    protected static String[] messages(JsonNode body) {
        String[] out = {"", ""};
        for (JsonNode m : body.path("messages")) {
            out[m.path("role").asText().equals("system") ? 0 : 1] = m.path("content").asText();
        }
        return out;
    }

    /** Records and sends a completion built from {@code shown} (what the model read of the user message). */
    protected void complete(HttpExchange exchange, ChatRequest r, String shown, int readTokens, Outcome outcome,
            int outputRoom) throws IOException {
        Matcher m = MATERIAL.matcher(shown);
        String material = m.find() ? m.group(2) : shown;
        int limit = Math.max(1, Math.min(r.maxTokens() > 0 ? r.maxTokens() : 256, outputRoom));
        int wanted = Math.max(5, limit / 3);
        // Each answer starts with its own tag, so a test can tell where an answer went.
        StringBuilder answer = new StringBuilder(tag(answers.incrementAndGet()));
        for (String word : material.strip().split("\\s+")) {
            if (tokenizer.count(answer + " " + word) > wanted) {
                break;
            }
            answer.append(answer.isEmpty() ? "" : " ").append(word);
        }
        String text = answer.toString();
        int completion = tokenizer.count(text);
        chats.add(new Chat(r.promptTokens(), readTokens, r.maxTokens(), outcome, r.user(), text));
        ObjectNode out = json.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion")
                .put("model", modelName);
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", completion >= limit ? "length" : "stop");
        choice.putObject("message").put("role", "assistant").put("content", text);
        out.putObject("usage").put("prompt_tokens", readTokens).put("completion_tokens", completion)
                .put("total_tokens", readTokens + completion);
        send(exchange, 200, out);
    }

    /** The tag answer number {@code n} starts with. */
    public static String tag(int n) {
        return "(answer-" + n + ")";
    }

    /** Records a refusal and sends its body. */
    protected void refuse(HttpExchange exchange, ChatRequest r, int status, JsonNode body) throws IOException {
        chats.add(new Chat(r.promptTokens(), 0, r.maxTokens(), Outcome.REFUSED, r.user(), null));
        send(exchange, status, body);
    }

    /** The tail of {@code text} holding about {@code keep} of its {@code total} tokens. */
    protected static String tail(String text, int keep, int total) {
        int chars = (int) ((long) text.length() * keep / Math.max(1, total));
        return text.substring(Math.max(0, text.length() - chars));
    }

    protected void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        FakeHttp.send(exchange, status, body);
    }

    protected interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    /** Serves one exchange; an endpoint the server does not have answers 404 like theirs. */
    protected static void serve(HttpExchange exchange, Handler handler) throws IOException {
        try (exchange) {
            handler.handle(exchange);
        }
    }

    protected JsonNode body(HttpExchange exchange) throws IOException {
        return json.readTree(exchange.getRequestBody());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
