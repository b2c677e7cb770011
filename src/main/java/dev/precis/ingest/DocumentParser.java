package dev.precis.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.precis.ingest.ParseResult.Accepted;
import dev.precis.ingest.ParseResult.Rejected;
import dev.precis.pipeline.Document;
import dev.precis.publish.RejectCode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a Kafka record's key and value bytes as a document: a JSON object following
 * {@code schemas/document.schema.json}, or plain UTF-8 text whose id is the record key.
 */
public final class DocumentParser {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final int maxBytes;
    private final FieldReader.Limits limits;

    /** {@code models}: the model names a document may ask for; null when documents cannot choose. */
    public DocumentParser(int maxBytes, int defaultSummaryTokens, int maxSummaryTokens, String defaultTargetLanguage,
            java.util.Set<String> models) {
        this.maxBytes = maxBytes;
        this.limits = new FieldReader.Limits(defaultSummaryTokens, maxSummaryTokens, defaultTargetLanguage,
                models == null ? null : java.util.Set.copyOf(models));
    }

    public DocumentParser(int maxBytes, int defaultSummaryTokens, int maxSummaryTokens) {
        this(maxBytes, defaultSummaryTokens, maxSummaryTokens, null, null);
    }

    /**
     * Header that declares a record's value JSON ({@code content-type: application/json}, as the
     * CloudEvents Kafka binding names it): such a value is a document object or a broken record,
     * never plain text. {@code ./precis submit} marks every line of a JSONL file so.
     */
    public static final String CONTENT_TYPE = "content-type";
    public static final String JSON_TYPE = "application/json";

    public ParseResult parse(byte[] key, byte[] value) {
        return parse(key, value, false);
    }

    /** {@code declaredJson}: the record says its value is JSON, so a value that is not is refused. */
    public ParseResult parse(byte[] key, byte[] value, boolean declaredJson) {
        String keyId = decodeKey(key);
        if (value == null) {
            return new Rejected(RejectCode.NULL_VALUE,
                    "The record value is null (a tombstone); a document needs a JSON object or text.", keyId);
        }
        if (value.length > maxBytes) {
            return new Rejected(RejectCode.TOO_LARGE, "The record value is " + value.length
                    + " bytes; the limit is " + maxBytes + " (precis.max-document-bytes). Split the "
                    + "document or raise the limit.", keyId);
        }
        String text = new String(value, StandardCharsets.UTF_8);
        // The lenient decoding is exact unless it had to put in a replacement character; only then
        // is the value decoded again strictly, to tell a malformed value from a real U+FFFD.
        try {
            text = text.indexOf('\uFFFD') < 0 ? text : StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            return new Rejected(RejectCode.INVALID_UTF8, "The record value is not valid UTF-8 ("
                    + e.getMessage() + "); send text encoded as UTF-8.", keyId);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        return declaredJson || looksLikeJson(text) ? parseJson(text, keyId, declaredJson) : plainText(text, keyId);
    }

    /** Whether a record's content-type header declares its value JSON. */
    public static boolean declaresJson(byte[] contentType) {
        return contentType != null && new String(contentType, StandardCharsets.UTF_8).strip()
                .toLowerCase(java.util.Locale.ROOT).startsWith(JSON_TYPE);
    }

    private ParseResult parseJson(String raw, String keyId, boolean declared) {
        JsonNode node;
        try {
            node = JSON.readTree(raw);
            if (node == null || node.isMissingNode()) {
                return new Rejected(RejectCode.MALFORMED_JSON, "The record is declared JSON (content-type: "
                        + JSON_TYPE + ") but its value is empty.", keyId);
            }
        } catch (JsonProcessingException e) {
            return new Rejected(RejectCode.MALFORMED_JSON, (declared
                    ? "The record is declared JSON (content-type: " + JSON_TYPE + ") but its value is not valid JSON: "
                    : "The value starts like JSON but is not valid JSON: ") + e.getOriginalMessage() + location(e) + ".",
                    keyId);
        }
        if (!node.isObject()) {
            return new Rejected(RejectCode.NOT_AN_OBJECT, "The value is JSON but not an object (it is "
                    + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                    + "); send {\"id\": ..., \"text\": ...}.", keyId);
        }
        return new FieldReader(node, keyId, limits).read();
    }

    private ParseResult plainText(String text, String keyId) {
        if (text.isBlank()) {
            return new Rejected(RejectCode.BLANK_TEXT, "The record value is empty or only whitespace.", keyId);
        }
        if (keyId == null) {
            return new Rejected(RejectCode.MISSING_ID, "A plain-text value needs the record key as its id; "
                    + "the key is missing, blank or not UTF-8.", null);
        }
        return new Accepted(new Document(keyId, null, text, null, limits.defaultTargetLanguage(),
                limits.defaultSummaryTokens(), null, null, null));
    }

    /** Only a value that opens like an object, or opens and closes like an array, is read as JSON. */
    private static boolean looksLikeJson(String text) {
        String t = text.strip();
        return t.startsWith("{") || (t.startsWith("[") && t.endsWith("]"));
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private static String decodeKey(byte[] key) {
        if (key == null) {
            return null;
        }
        try {
            String id = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key)).toString().strip();
            return id.isEmpty() ? null : id;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
