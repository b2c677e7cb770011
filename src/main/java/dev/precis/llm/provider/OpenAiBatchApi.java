package dev.precis.llm.provider;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.precis.llm.LlmException;
import dev.precis.llm.LlmReply;
import dev.precis.llm.batch.BatchApi;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * OpenAI's Batch API (also served with the same shape by Azure OpenAI, Groq, Together and others):
 * an input file of chat completion requests uploaded to {@code /files} with purpose {@code batch},
 * a batch created from it on {@code /batches} with its tag in the metadata, polled, and its output
 * and error files read back. Each line's answer or error is read exactly as an online answer
 * would be ({@link ProviderErrors}).
 */
public final class OpenAiBatchApi implements BatchApi {

    static final String TAG = "precis_batch";
    private static final String ENDPOINT = "/v1/chat/completions";

    private final ObjectMapper json = ChatCompletions.JSON;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private final String baseUrl;
    private final String modelName;
    private final String apiKey;
    private final Double temperature;
    private final String completionWindow;
    private final Duration timeout;

    public OpenAiBatchApi(String baseUrl, String modelName, String apiKey, Double temperature, String completionWindow,
            Duration timeout) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.modelName = modelName;
        this.apiKey = apiKey;
        this.temperature = temperature;
        this.completionWindow = completionWindow;
        this.timeout = timeout;
    }

    @Override
    public long size(Line line) {
        return render(line).length + 1;
    }

    /** One line of the input file: the same request the online client would send. */
    private byte[] render(Line line) {
        var out = new ByteArrayOutputStream();
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("custom_id", line.customId());
            g.writeStringField("method", "POST");
            g.writeStringField("url", ENDPOINT);
            g.writeFieldName("body");
            ChatCompletions.write(g, modelName, temperature, line.call(), false);
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    @Override
    public Job create(String tag, List<Line> lines) {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        for (Line line : lines) {
            file.writeBytes(render(line));
            file.write('\n');
        }
        String boundary = "precis-" + tag;
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"precis-" + tag
                + ".jsonl\"\r\nContent-Type: application/jsonl\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        form.writeBytes(file.toByteArray());
        form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode uploaded = send(request("/files").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.toByteArray())), "upload the batch file");
        ObjectNode create = json.createObjectNode();
        create.put("input_file_id", uploaded.path("id").asText());
        create.put("endpoint", ENDPOINT).put("completion_window", completionWindow);
        create.putObject("metadata").put(TAG, tag);
        return job(send(request("/batches").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(create.toString())), "create the batch"));
    }

    @Override
    public Job get(String batchId) {
        return job(send(request("/batches/" + batchId).GET(), "read the batch"));
    }

    @Override
    public Optional<Job> findByTag(String tag, Instant since) {
        String after = null;
        while (true) {
            JsonNode page = send(request("/batches?limit=100" + (after == null ? "" : "&after=" + after)).GET(),
                    "list the batches");
            for (JsonNode b : page.path("data")) {
                Job job = job(b);
                if (tag.equals(job.tag())) {
                    return Optional.of(job);
                }
                // The list is newest first: past the time the batch was recorded, it is not there.
                if (job.createdAt() != null && job.createdAt().isBefore(since)) {
                    return Optional.empty();
                }
                after = job.id();
            }
            if (!page.path("has_more").asBoolean(false) || after == null) {
                return Optional.empty();
            }
        }
    }

    @Override
    public Map<String, Result> results(Job job) {
        Map<String, Result> out = new HashMap<>();
        for (String file : new String[] {job.outputFileId(), job.errorFileId()}) {
            if (file == null || file.isEmpty()) {
                continue;
            }
            String content = text(request("/files/" + file + "/content").GET(), "read the batch's results");
            for (String line : content.split("\n")) {
                if (!line.isBlank()) {
                    read(line, out);
                }
            }
        }
        return out;
    }

    @Override
    public void cancel(String batchId) {
        send(request("/batches/" + batchId + "/cancel").POST(HttpRequest.BodyPublishers.noBody()), "cancel the batch");
    }

    private void read(String line, Map<String, Result> out) {
        JsonNode node;
        try {
            node = json.readTree(line);
        } catch (IOException e) {
            return;
        }
        String id = node.path("custom_id").asText();
        JsonNode response = node.path("response");
        JsonNode error = node.path("error");
        if (!error.isMissingNode() && !error.isNull()) {
            String code = error.path("code").asText("");
            boolean notRun = code.equals("batch_expired") || code.equals("batch_cancelled");
            String said = error.path("message").asText(code);
            out.put(id, new Result.Failed(notRun
                    ? new LlmException(LlmException.Kind.UNAVAILABLE, "The batch ended before this request ran: " + said)
                    : ProviderErrors.classify(response.path("status_code").asInt(-1), error.toString(), false, false,
                            "batch line error", null), notRun));
            return;
        }
        int status = response.path("status_code").asInt(-1);
        JsonNode body = response.path("body");
        if (status != 200) {
            out.put(id, new Result.Failed(ProviderErrors.classify(status, body.toString(), false, false, "batch line",
                    null), false));
            return;
        }
        out.put(id, answer(body));
    }

    /** A chat completion in a batch's output file, read as the online client reads one. */
    private static Result answer(JsonNode body) {
        try {
            return new Result.Answered(ChatCompletions.reply(body));
        } catch (LlmException e) {
            return new Result.Failed(e, false);
        }
    }

    private Job job(JsonNode b) {
        Status status;
        try {
            status = Status.valueOf(b.path("status").asText("validating").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            status = Status.IN_PROGRESS;
        }
        StringBuilder failure = new StringBuilder();
        boolean quota = false;
        for (JsonNode e : b.path("errors").path("data")) {
            String code = e.path("code").asText("");
            quota |= code.equals("token_limit_exceeded");
            if (!failure.isEmpty()) {
                failure.append("; ");
            }
            failure.append(code.isEmpty() ? "" : code + ": ").append(ServerMessage.of(e.path("message").asText("")));
            if (e.hasNonNull("line")) {
                failure.append(" (line ").append(e.path("line").asInt()).append(')');
            }
        }
        JsonNode counts = b.path("request_counts");
        long created = b.path("created_at").asLong(0);
        return new Job(b.path("id").asText(), b.path("metadata").path(TAG).asText(null), status,
                counts.path("total").asInt(0), counts.path("completed").asInt(0), counts.path("failed").asInt(0),
                b.path("output_file_id").asText(null), b.path("error_file_id").asText(null),
                failure.isEmpty() ? null : failure.toString(), quota,
                created > 0 ? Instant.ofEpochSecond(created) : null);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout);
        return apiKey == null || apiKey.isBlank() ? request : request.header("Authorization", "Bearer " + apiKey);
    }

    private JsonNode send(HttpRequest.Builder request, String what) {
        try {
            return json.readTree(text(request, what));
        } catch (IOException e) {
            throw new LlmException(LlmException.Kind.UNAVAILABLE, "The Batch API's answer to " + what
                    + " is not JSON: " + e.getMessage(), -1, e);
        }
    }

    private String text(HttpRequest.Builder request, String what) {
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new LlmException(LlmException.Kind.UNAVAILABLE, "Could not " + what + ": " + e, -1, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmException(LlmException.Kind.UNAVAILABLE, "Interrupted while trying to " + what);
        }
        if (response.statusCode() / 100 != 2) {
            LlmException e = ProviderErrors.classify(response.statusCode(), response.body(), false, false, null, null);
            throw new LlmException(e.kind(), "Could not " + what + ": " + e.getMessage(), e.retryAfterMillis(), null);
        }
        return response.body();
    }
}
