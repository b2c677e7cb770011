package dev.precis.support;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/** OpenAI's Files API as the Batch API uses it: a multipart upload, and a file's content by id. */
final class FakeFiles {

    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    /** Keeps a file; its id. */
    synchronized String add(byte[] content) {
        String id = "file-" + ids.incrementAndGet();
        files.put(id, content);
        return id;
    }

    synchronized byte[] get(String id) {
        return files.get(id);
    }

    /** POST /v1/files (multipart, purpose=batch) and GET /v1/files/{id}/content. */
    void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (ex.getRequestMethod().equals("POST")) {
                String content = fileOf(ex.getRequestBody().readAllBytes(), ex.getRequestHeaders().getFirst("Content-Type"));
                String id = add(content.getBytes(StandardCharsets.UTF_8));
                ObjectNode out = FakeHttp.JSON.createObjectNode().put("id", id).put("object", "file")
                        .put("bytes", content.length()).put("created_at", System.currentTimeMillis() / 1000)
                        .put("filename", "input.jsonl").put("purpose", "batch");
                FakeHttp.send(ex, 200, out);
                return;
            }
            String id = ex.getRequestURI().getPath().replace("/v1/files/", "").replace("/content", "");
            byte[] content = get(id);
            if (content == null) {
                FakeHttp.send(ex, 404, FakeHttp.openAiError("No such File object: " + id, "invalid_request_error", null));
                return;
            }
            ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
            ex.sendResponseHeaders(200, content.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(content);
            }
        }
    }

    /** The part named "file" of a multipart body. */
    private static String fileOf(byte[] body, String contentType) {
        String boundary = "--" + contentType.substring(contentType.indexOf("boundary=") + 9);
        String all = new String(body, StandardCharsets.UTF_8);
        for (String part : all.split(Pattern.quote(boundary))) {
            if (part.contains("name=\"file\"")) {
                String content = part.substring(part.indexOf("\r\n\r\n") + 4);
                return content.endsWith("\r\n") ? content.substring(0, content.length() - 2) : content;
            }
        }
        throw new IllegalArgumentException("no file part");
    }
}
