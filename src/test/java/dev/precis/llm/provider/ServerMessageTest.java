package dev.precis.llm.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServerMessageTest {

    @Test
    void takesTheMessageOutOfEachServersEnvelope() {
        assertEquals("The model `foo` does not exist.", ServerMessage.of(
                "{\"object\":\"error\",\"message\":\"The model `foo` does not exist.\",\"type\":\"NotFoundError\",\"code\":404}"));
        assertEquals("model 'llama9' not found", ServerMessage.of("{\"error\":\"model 'llama9' not found\"}"));
        assertEquals("Bad gateway", ServerMessage.of("{\"error\":{\"message\":\"Bad gateway\",\"type\":\"server_error\"}}"));
        assertEquals("Not Found", ServerMessage.of("{\"detail\":\"Not Found\"}"));
        assertEquals("upstream connect error", ServerMessage.of("upstream connect error"));
        assertEquals("", ServerMessage.of(null));
    }

    @Test
    void neverCarriesTheDocumentsTextOrAKey() {
        String echo = "{\"error\":{\"message\":\"[{'type': 'string_type', 'loc': ('body', 'messages', 1), 'msg': 'bad', "
                + "'input': 'The committee reviewed the annual budget in 1998 and approved the harbour expansion'}]\"}}";
        String said = ServerMessage.of(echo);
        assertFalse(said.contains("harbour expansion"), said);
        assertTrue(said.contains("string_type"), said);
        String key = ServerMessage.of("{\"error\":{\"message\":\"Incorrect API key provided: sk-proj-abcdefghijklmnop.\"}}");
        assertFalse(key.contains("abcdefghijklmnop"), key);
        assertTrue(ServerMessage.of("x".repeat(5_000)).length() < 500);
    }
}
