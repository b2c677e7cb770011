package dev.precis.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OpenAI's Batch API as its reference describes it, on the fake provider's base URL: {@code POST
 * /files} (multipart, purpose batch), {@code POST /batches} (input_file_id, endpoint,
 * completion_window, metadata), {@code GET /batches/{id}} moving validating → in_progress →
 * finalizing → completed one step per read (or holding in_progress while {@link #hold} is set),
 * {@code GET /batches} newest first, {@code POST /batches/{id}/cancel}, and {@code GET
 * /files/{id}/content} with output and error files in the documented line shapes. Each line is
 * answered as the fake's chat endpoint would (window refusals included), and can be made to fail
 * with a 500, to expire, or to be refused for the enqueued-token quota with OpenAI's wording.
 */
public final class FakeBatchApi {

    /** A line the fake ran: its custom id, the prompt as it counted it, the output cap, the status it answered. */
    public record Line(String batchId, String customId, int promptTokens, int maxTokens, int status) {
    }

    /** A batch as created: its id, tag, the custom ids of its input file, and where it stands. */
    public record Created(String id, String tag, List<String> customIds, String status) {
    }

    private static final class Batch {
        final String id;
        final String tag;
        final String inputFile;
        final List<JsonNode> lines;
        final long createdAt = System.currentTimeMillis() / 1000;
        final long tokens;
        String status = "validating";
        String outputFile;
        String errorFile;
        int completed;
        int failed;
        ObjectNode errors;
        boolean expire;

        Batch(String id, String tag, String inputFile, List<JsonNode> lines, long tokens) {
            this.id = id;
            this.tag = tag;
            this.inputFile = inputFile;
            this.lines = lines;
            this.tokens = tokens;
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final FakeOpenAi online;
    private final FakeAnswers answers = new FakeAnswers();
    private final FakeFiles files = new FakeFiles();
    private final Map<String, Batch> batches = new LinkedHashMap<>();
    private final List<Line> ran = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile boolean hold;
    private volatile long enqueuedLimit;
    private volatile boolean expireNext;
    private volatile boolean failValidation;
    private final AtomicInteger failLines = new AtomicInteger();

    /** Mounts the Batch API on {@code online}'s server; chat calls made online still go to {@code online}. */
    public FakeBatchApi(FakeOpenAi online) {
        this.online = online;
        online.mount("/v1/files", files::handle);
        online.mount("/v1/batches", this::batches);
    }

    /** While set, batches stay in_progress (a worker can be killed while they are pending). */
    public void hold(boolean hold) {
        this.hold = hold;
    }

    /** Tokens (prompt + max_tokens) that unfinished batches may hold; a batch over it fails validation. */
    public void enqueuedTokenLimit(long limit) {
        this.enqueuedLimit = limit;
    }

    /** The next batch to complete expires instead, with half its lines run. */
    public void expireNext() {
        this.expireNext = true;
    }

    /** The next batch created fails validation, as OpenAI reports a malformed input file. */
    public void failValidationNext() {
        this.failValidation = true;
    }

    /** The next {@code n} lines run are answered 500. */
    public void failNextLines(int n) {
        failLines.set(n);
    }

    public synchronized List<Created> created() {
        return batches.values().stream().map(b -> new Created(b.id, b.tag,
                b.lines.stream().map(l -> l.path("custom_id").asText()).toList(), b.status)).toList();
    }

    public synchronized List<Line> ran() {
        return List.copyOf(ran);
    }

    private void batches(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (method.equals("POST") && path.equals("/v1/batches")) {
                FakeHttp.send(ex, 200, create(json.readTree(ex.getRequestBody())));
            } else if (method.equals("POST") && path.endsWith("/cancel")) {
                Batch b = batch(path.replace("/v1/batches/", "").replace("/cancel", ""));
                synchronized (this) {
                    if (!finished(b)) {
                        b.status = "cancelling";
                    }
                }
                FakeHttp.send(ex, 200, view(b));
            } else if (path.equals("/v1/batches")) {
                ObjectNode list = json.createObjectNode().put("object", "list");
                ArrayNode data = list.putArray("data");
                synchronized (this) {
                    List<Batch> newestFirst = new ArrayList<>(batches.values());
                    java.util.Collections.reverse(newestFirst);
                    newestFirst.forEach(b -> data.add(view(b)));
                }
                list.put("has_more", false);
                FakeHttp.send(ex, 200, list);
            } else {
                Batch b = batch(path.replace("/v1/batches/", ""));
                if (b == null) {
                    FakeHttp.send(ex, 404, FakeHttp.openAiError("No batch found with id '" + path + "'.", "invalid_request_error", null));
                    return;
                }
                advance(b);
                FakeHttp.send(ex, 200, view(b));
            }
        }
    }

    private synchronized Batch batch(String id) {
        return batches.get(id);
    }

    private synchronized ObjectNode create(JsonNode request) throws IOException {
        String fileId = request.path("input_file_id").asText();
        List<JsonNode> lines = new ArrayList<>();
        long tokens = 0;
        for (String l : new String(files.get(fileId), StandardCharsets.UTF_8).split("\n")) {
            if (!l.isBlank()) {
                JsonNode line = json.readTree(l);
                lines.add(line);
                tokens += online.promptTokens(line.path("body")) + line.path("body").path("max_tokens").asInt();
            }
        }
        Batch b = new Batch("batch_" + ids.incrementAndGet(), request.path("metadata").path("precis_batch").asText(null),
                fileId, lines, tokens);
        long enqueued = batches.values().stream().filter(x -> !finished(x)).mapToLong(x -> x.tokens).sum();
        if (failValidation) {
            failValidation = false;
            b.errors = json.createObjectNode().put("object", "list");
            b.errors.putArray("data").addObject().put("code", "invalid_json_line")
                    .put("message", "This line is not parseable as valid JSON.").putNull("param").put("line", 1);
            b.status = "failed";
        } else if (enqueuedLimit > 0 && enqueued + tokens > enqueuedLimit) {
            String model = lines.isEmpty() ? "" : lines.get(0).path("body").path("model").asText();
            b.errors = json.createObjectNode().put("object", "list");
            b.errors.putArray("data").addObject().put("code", "token_limit_exceeded")
                    .put("message", "Enqueued token limit reached for " + model + " in organization org-fake. Limit: "
                            + String.format("%,d", enqueuedLimit) + " enqueued tokens. Please try again once some "
                            + "in_progress batches have been completed.").putNull("param").putNull("line");
            b.status = "failed";
        }
        batches.put(b.id, b);
        return view(b);
    }

    private static boolean finished(Batch b) {
        return switch (b.status) {
            case "completed", "failed", "expired", "cancelled" -> true;
            default -> false;
        };
    }

    /** One status step per read; the lines run when the batch finalizes. */
    private synchronized void advance(Batch b) throws IOException {
        switch (b.status) {
            case "validating" -> b.status = "in_progress";
            case "in_progress" -> {
                if (!hold) {
                    b.status = "finalizing";
                }
            }
            case "finalizing" -> {
                b.expire = expireNext;
                expireNext = false;
                run(b, b.expire ? "expired" : "completed");
            }
            case "cancelling" -> run(b, "cancelled");
            default -> {
            }
        }
    }

    private void run(Batch b, String end) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int runnable = end.equals("completed") ? b.lines.size() : end.equals("expired") ? b.lines.size() / 2 : 0;
        for (int i = 0; i < b.lines.size(); i++) {
            JsonNode line = b.lines.get(i);
            ObjectNode result = json.createObjectNode().put("id", "batch_req_" + ids.incrementAndGet())
                    .put("custom_id", line.path("custom_id").asText());
            if (i >= runnable) {
                result.putNull("response");
                result.putObject("error").put("code", end.equals("expired") ? "batch_expired" : "batch_cancelled")
                        .put("message", end.equals("expired")
                                ? "This request could not be executed before the completion window expired."
                                : "This request was not executed because the batch was cancelled.");
                err.write(json.writeValueAsBytes(result));
                err.write('\n');
                b.failed++;
                continue;
            }
            JsonNode body = line.path("body");
            int prompt = online.promptTokens(body);
            int max = body.path("max_tokens").asInt();
            int status;
            byte[] answer;
            if (failLines.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                status = 500;
                answer = FakeHttp.openAiError("The server had an error while processing your request. Sorry about that!", "server_error", null);
            } else if (prompt + max > online.contextWindow()) {
                status = 400;
                answer = FakeHttp.openAiError("This model's maximum context length is " + online.contextWindow() + " tokens. However, "
                        + "you requested " + (prompt + max) + " tokens (" + prompt + " in the messages, " + max
                        + " in the completion). Please reduce the length of the messages or completion.",
                        "invalid_request_error", "context_length_exceeded");
            } else {
                status = 200;
                String user = body.path("messages").path(1).path("content").asText();
                answer = answers.completion(body, prompt, max, user).body();
            }
            ran.add(new Line(b.id, line.path("custom_id").asText(), prompt, max, status));
            ObjectNode response = result.putObject("response").put("status_code", status)
                    .put("request_id", "req_" + ids.incrementAndGet());
            response.set("body", json.readTree(answer));
            result.putNull("error");
            (status == 200 ? out : err).write(json.writeValueAsBytes(result));
            (status == 200 ? out : err).write('\n');
            if (status == 200) {
                b.completed++;
            } else {
                b.failed++;
            }
        }
        if (out.size() > 0) {
            b.outputFile = files.add(out.toByteArray());
        }
        if (err.size() > 0) {
            b.errorFile = files.add(err.toByteArray());
        }
        b.status = end;
    }

    private synchronized ObjectNode view(Batch b) {
        ObjectNode v = json.createObjectNode().put("id", b.id).put("object", "batch")
                .put("endpoint", "/v1/chat/completions").put("input_file_id", b.inputFile)
                .put("completion_window", "24h").put("status", b.status).put("created_at", b.createdAt)
                .put("expires_at", b.createdAt + 86_400);
        if (b.errors == null) {
            v.putNull("errors");
        } else {
            v.set("errors", b.errors);
        }
        v.put("output_file_id", b.outputFile).put("error_file_id", b.errorFile);
        v.putObject("request_counts").put("total", b.lines.size()).put("completed", b.completed).put("failed", b.failed);
        ObjectNode meta = v.putObject("metadata");
        if (b.tag != null) {
            meta.put("precis_batch", b.tag);
        }
        return v;
    }
}
