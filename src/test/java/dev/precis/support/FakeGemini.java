package dev.precis.support;

import static dev.precis.support.FakeHttp.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/** The Gemini endpoint of {@link FakeOpenAi}, under its base URL's {@code /gemini}. */
final class FakeGemini {

    private final FakeOpenAi openAi;

    FakeGemini(FakeOpenAi openAi) {
        this.openAi = openAi;
    }

    /**
     * A Gemini {@code generateContent} endpoint: same counting and answers as the OpenAI one, in
     * Gemini's shapes (systemInstruction, contents, usageMetadata, finishReason, RESOURCE_EXHAUSTED).
     */
    void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            String system = body.path("systemInstruction").path("parts").path(0).path("text").asText("");
            StringBuilder user = new StringBuilder();
            for (JsonNode c : body.path("contents")) {
                for (JsonNode part : c.path("parts")) {
                    user.append(part.path("text").asText(""));
                }
            }
            int prompt = openAi.count(system) + openAi.count(user.toString());
            int maxTokens = body.path("generationConfig").path("maxOutputTokens").asInt(0);
            int[] failure = openAi.nextFailure();
            if (failure != null && failure[0] == 429) {
                openAi.record(prompt, maxTokens, 429, user.toString(), system, 0, 0);
                ObjectNode err = JSON.createObjectNode();
                ObjectNode e = err.putObject("error").put("code", 429).put("status", "RESOURCE_EXHAUSTED")
                        .put("message", "Resource has been exhausted (e.g. check quota).");
                e.putArray("details").addObject().put("@type", "type.googleapis.com/google.rpc.RetryInfo")
                        .put("retryDelay", "2s");
                FakeHttp.send(exchange, 429, JSON.writeValueAsBytes(err));
                return;
            }
            ObjectNode openAiStyle = JSON.createObjectNode();
            openAiStyle.putArray("messages").addObject().put("role", "system").put("content", system);
            FakeAnswers.Answer answer = openAi.answers().completion(openAiStyle, prompt, maxTokens, user.toString());
            String text = JSON.readTree(answer.body()).path("choices").path(0).path("message").path("content").asText();
            openAi.record(prompt, maxTokens, 200, user.toString(), system, prompt + answer.completionTokens(),
                    prompt + answer.completionTokens());
            ObjectNode out = JSON.createObjectNode();
            ObjectNode candidate = out.putArray("candidates").addObject();
            candidate.putObject("content").put("role", "model").putArray("parts").addObject().put("text", text);
            candidate.put("finishReason", answer.completionTokens() >= maxTokens ? "MAX_TOKENS" : "STOP");
            out.putObject("usageMetadata").put("promptTokenCount", prompt)
                    .put("candidatesTokenCount", answer.completionTokens())
                    .put("totalTokenCount", prompt + answer.completionTokens());
            FakeHttp.send(exchange, 200, JSON.writeValueAsBytes(out));
        }
    }
}
