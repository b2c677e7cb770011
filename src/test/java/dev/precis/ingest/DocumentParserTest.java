package dev.precis.ingest;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.ingest.ParseResult.Accepted;
import dev.precis.ingest.ParseResult.Rejected;
import dev.precis.pipeline.Document;
import dev.precis.publish.RejectCode;
import dev.precis.support.Schemas;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DocumentParserTest {

    private final DocumentParser parser = new DocumentParser(1000, 200, 4000);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            malformed json         | {"text": "x"                              | MALFORMED_JSON
            trailing garbage       | {"text": "x"} extra                       | MALFORMED_JSON
            duplicate keys         | {"text": "x", "text": "y"}                | MALFORMED_JSON
            array                  | ["text"]                                  | NOT_AN_OBJECT
            missing text           | {"id": "a"}                               | MISSING_TEXT
            null text              | {"text": null}                            | MISSING_TEXT
            blank text             | {"text": " \\n "}                         | BLANK_TEXT
            text number            | {"text": 5}                               | WRONG_TYPE
            id number              | {"id": 5, "text": "x"}                    | WRONG_TYPE
            title object           | {"title": {}, "text": "x"}                | WRONG_TYPE
            metadata string        | {"text": "x", "metadata": "m"}            | WRONG_TYPE
            options array          | {"text": "x", "options": []}              | WRONG_TYPE
            max tokens text        | {"text": "x", "options": {"maxSummaryTokens": "9"}} | WRONG_TYPE
            max tokens too small   | {"text": "x", "options": {"maxSummaryTokens": 2}}   | INVALID_FIELD
            max tokens too large   | {"text": "x", "options": {"maxSummaryTokens": 9999}}| INVALID_FIELD
            unknown length         | {"text": "x", "options": {"length": "huge"}}        | INVALID_FIELD
            bad language tag       | {"text": "x", "language": "english!"}     | INVALID_FIELD
            blank plain text       | `   `                                     | BLANK_TEXT
            """)
    void rejectsWithACodeAndAMessage(String name, String value, RejectCode code) {
        ParseResult r = parser.parse(bytes("key-1"), bytes(value));
        Rejected rejected = assertInstanceOf(Rejected.class, r, name);
        assertEquals(code, rejected.code(), name);
        assertFalse(rejected.message().isBlank());
        boolean object = value.strip().startsWith("{");
        if (object && (code == RejectCode.MISSING_TEXT || code == RejectCode.BLANK_TEXT || code == RejectCode.WRONG_TYPE)) {
            // The published schema must reject what the parser rejects.
            JsonNode node = assertDoesNotThrow(() -> new ObjectMapper().readTree(value));
            assertFalse(Schemas.errors(Schemas.DOCUMENT, node).isEmpty(), name);
        }
    }

    @Test
    void rejectsNullTooLargeAndInvalidUtf8() {
        assertEquals(RejectCode.NULL_VALUE, ((Rejected) parser.parse(bytes("k"), null)).code());
        assertEquals(RejectCode.TOO_LARGE, ((Rejected) parser.parse(bytes("k"), new byte[1001])).code());
        byte[] latin1 = "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(RejectCode.INVALID_UTF8, ((Rejected) parser.parse(bytes("k"), latin1)).code());
        assertEquals(RejectCode.MISSING_ID, ((Rejected) parser.parse(null, bytes("{\"text\": \"x\"}"))).code());
        assertEquals(RejectCode.MISSING_ID, ((Rejected) parser.parse(null, bytes("plain words"))).code());
    }

    @Test
    void aValueDeclaredJsonIsADocumentObjectOrABrokenRecordNeverText() {
        Rejected notJson = (Rejected) parser.parse(bytes("k"), bytes("this line is not json"), true);
        assertEquals(RejectCode.MALFORMED_JSON, notJson.code());
        assertTrue(notJson.message().contains("declared JSON (content-type: application/json)"), notJson.message());
        assertEquals(RejectCode.NOT_AN_OBJECT, ((Rejected) parser.parse(bytes("k"), bytes("42"), true)).code());
        assertInstanceOf(Accepted.class, parser.parse(bytes("k"), bytes("{\"text\": \"Body.\"}"), true));
        // Undeclared, the same text is a document, as the topic's contract says.
        assertInstanceOf(Accepted.class, parser.parse(bytes("k"), bytes("this line is not json"), false));
        assertTrue(DocumentParser.declaresJson(bytes("Application/JSON; charset=utf-8")));
        assertFalse(DocumentParser.declaresJson(bytes("text/plain")) || DocumentParser.declaresJson(null));
    }

    @Test
    void tellsAMalformedValueFromAReplacementCharacterItHolds() {
        // A lone lead byte, an overlong slash, an encoded surrogate, a truncated 4-byte sequence.
        for (byte[] malformed : new byte[][] {{'a', (byte) 0xC3}, {(byte) 0xC0, (byte) 0xAF},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {'x', (byte) 0xF0, (byte) 0x9F, (byte) 0x98}}) {
            assertEquals(RejectCode.INVALID_UTF8, ((Rejected) parser.parse(bytes("k"), malformed)).code());
        }
        ParseResult kept = parser.parse(bytes("k"), bytes("Broken glyphs show as \uFFFD in the source."));
        assertEquals("Broken glyphs show as \uFFFD in the source.", ((ParseResult.Accepted) kept).document().text());
    }

    @Test
    void readsAFullDocument() {
        String json = """
                {"id": " doc-7 ", "title": "T", "text": "Body.", "language": "ko", "targetLanguage": "zh-hant",
                 "metadata": {"a": [1, 2]}, "options": {"length": "short"}, "extra": true}""";
        Document d = ((Accepted) parser.parse(bytes("key"), bytes(json))).document();
        assertEquals("doc-7", d.id());
        assertEquals("T", d.title());
        assertEquals("Body.", d.text());
        assertEquals("ko", d.language());
        assertEquals("zh-Hant", d.targetLanguage());
        assertEquals(80, d.maxSummaryTokens());
        assertEquals("{\"a\":[1,2]}", d.metadataJson());
    }

    @Test
    void takesTheIdFromTheKeyAndPlainTextAsText() {
        Document d = ((Accepted) parser.parse(bytes("k-9"), bytes("{\"text\": \"x\", \"options\": {\"maxSummaryTokens\": 50}}"))).document();
        assertEquals("k-9", d.id());
        assertEquals(50, d.maxSummaryTokens());
        Document plain = ((Accepted) parser.parse(bytes("k-10"), bytes("\uFEFF[Draft] notes"))).document();
        assertEquals("k-10", plain.id());
        assertEquals("[Draft] notes", plain.text());
        assertEquals(200, plain.maxSummaryTokens());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
