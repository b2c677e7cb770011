package dev.precis.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.precis.ingest.ParseResult.Accepted;
import dev.precis.ingest.ParseResult.Rejected;
import dev.precis.pipeline.Document;
import dev.precis.publish.RejectCode;
import dev.precis.summarize.StrategyChoice;
import dev.precis.summarize.SummaryLength;
import java.util.IllformedLocaleException;
import java.util.Locale;

/** Checks the fields of one JSON document object against the input contract. */
final class FieldReader {

    /** Summary length bounds: the default when the request names none, and the largest allowed. */
    /** Defaults and bounds; {@code models} are the names a document may ask for (null: any, unused). */
    record Limits(int defaultSummaryTokens, int maxSummaryTokens, String defaultTargetLanguage,
            java.util.Set<String> models) {
    }

    private static final int MIN_SUMMARY_TOKENS = 16;

    private final JsonNode node;
    private final String keyId;
    private final Limits limits;

    FieldReader(JsonNode node, String keyId, Limits limits) {
        this.node = node;
        this.keyId = keyId;
        this.limits = limits;
    }

    ParseResult read() {
        try {
            String id = optionalString("id");
            id = id == null || id.isBlank() ? keyId : id.strip();
            if (id == null) {
                throw reject(RejectCode.MISSING_ID, "Field 'id' is missing and the record has no usable key; "
                        + "give the document an id in either place.");
            }
            String text = optionalString("text");
            if (text == null) {
                throw reject(RejectCode.MISSING_TEXT, "Field 'text' is missing; it must hold the document's text.");
            }
            if (text.isBlank()) {
                throw reject(RejectCode.BLANK_TEXT, "Field 'text' is empty or only whitespace.");
            }
            String language = languageTag("language");
            String target = languageTag("targetLanguage");
            target = target == null ? limits.defaultTargetLanguage() : target;
            JsonNode metadata = node.get("metadata");
            if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
                throw wrongType("metadata", "an object");
            }
            return new Accepted(new Document(id, optionalString("title"), text, language, target,
                    summaryTokens(), strategy(), metadata == null || metadata.isNull() ? null : metadata.toString(), model()));
        } catch (RejectedField e) {
            return e.rejected;
        }
    }

    private String model() {
        String model = optionalString("model");
        if (model == null || model.isBlank()) {
            return null;
        }
        model = model.strip();
        if (limits.models() != null && !limits.models().contains(model)) {
            throw reject(RejectCode.UNKNOWN_MODEL, "Field 'model' asks for '" + model + "', which is not configured; "
                    + "configured models: " + String.join(", ", new java.util.TreeSet<>(limits.models()))
                    + ". Leave 'model' out to use the default.");
        }
        return model;
    }

    private int summaryTokens() {
        JsonNode options = node.get("options");
        if (options == null || options.isNull()) {
            return limits.defaultSummaryTokens();
        }
        if (!options.isObject()) {
            throw wrongType("options", "an object");
        }
        JsonNode max = options.get("maxSummaryTokens");
        JsonNode length = options.get("length");
        if (max != null && !max.isNull()) {
            if (!max.isIntegralNumber()) {
                throw wrongType("options.maxSummaryTokens", "an integer");
            }
            long n = max.asLong();
            if (n < MIN_SUMMARY_TOKENS || n > limits.maxSummaryTokens()) {
                throw reject(RejectCode.INVALID_FIELD, "options.maxSummaryTokens is " + n + "; it must be between "
                        + MIN_SUMMARY_TOKENS + " and " + limits.maxSummaryTokens() + ".");
            }
            return (int) n;
        }
        if (length != null && !length.isNull()) {
            if (!length.isTextual()) {
                throw wrongType("options.length", "a string (short, medium or long)");
            }
            try {
                return Math.min(SummaryLength.parse(length.asText()).maxTokens(), limits.maxSummaryTokens());
            } catch (IllegalArgumentException e) {
                throw reject(RejectCode.INVALID_FIELD, "options." + e.getMessage() + ".");
            }
        }
        return limits.defaultSummaryTokens();
    }

    private StrategyChoice strategy() {
        JsonNode options = node.get("options");
        JsonNode strategy = options == null ? null : options.get("strategy");
        if (strategy == null || strategy.isNull()) {
            return null;
        }
        if (!strategy.isTextual()) {
            throw wrongType("options.strategy", "a string (auto, stuff, map-reduce or refine)");
        }
        try {
            return StrategyChoice.parse(strategy.asText());
        } catch (IllegalArgumentException e) {
            throw reject(RejectCode.INVALID_FIELD, "options." + e.getMessage() + ".");
        }
    }

    private String languageTag(String field) {
        String tag = optionalString(field);
        if (tag == null || tag.isBlank()) {
            return null;
        }
        try {
            return new Locale.Builder().setLanguageTag(tag.strip()).build().toLanguageTag();
        } catch (IllformedLocaleException e) {
            throw reject(RejectCode.INVALID_FIELD, "Field '" + field + "' is '" + tag
                    + "', which is not a BCP-47 language tag (for example en, de-CH, zh-Hant).");
        }
    }

    private String optionalString(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw wrongType(field, "a string");
        }
        return v.asText();
    }

    private RejectedField wrongType(String field, String expected) {
        JsonNode v = field.startsWith("options.") ? node.get("options").get(field.substring(8)) : node.get(field);
        return reject(RejectCode.WRONG_TYPE, "Field '" + field + "' must be " + expected + " but is "
                + v.getNodeType().name().toLowerCase(Locale.ROOT) + ".");
    }

    private RejectedField reject(RejectCode code, String message) {
        String id = node.path("id").isTextual() && !node.get("id").asText().isBlank()
                ? node.get("id").asText().strip() : keyId;
        return new RejectedField(new Rejected(code, message, id));
    }

    /** Carries a rejection out of nested checks; never escapes this class. */
    private static final class RejectedField extends RuntimeException {
        private final transient Rejected rejected;

        RejectedField(Rejected rejected) {
            super(rejected.message(), null, false, false);
            this.rejected = rejected;
        }
    }
}
