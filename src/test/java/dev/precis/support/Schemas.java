package dev.precis.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/** The published JSON Schemas of the input and output contracts, for checking real records. */
public final class Schemas {

    public static final JsonSchema DOCUMENT = load("schemas/document.schema.json");
    public static final JsonSchema SUMMARY = load("schemas/summary.schema.json");

    private Schemas() {
    }

    /** Validation errors of {@code value} against {@code schema}; empty when it conforms. */
    public static Set<ValidationMessage> errors(JsonSchema schema, JsonNode value) {
        return schema.validate(value);
    }

    private static JsonSchema load(String path) {
        try (InputStream in = Schemas.class.getClassLoader().getResourceAsStream(path)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
