package dev.precis.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.precis.chunking.JtokkitTokenCounter;
import dev.precis.chunking.TokenCounter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The fake provider's chat completions: deterministic text within max_tokens, with OpenAI's usage and finish reasons. */
final class FakeAnswers {

    private static final Pattern MATERIAL = Pattern.compile("<(document|summaries|text)>\\n?(.*?)\\n?</\\1>", Pattern.DOTALL);
    private static final Pattern TARGET = Pattern.compile("BCP-47 tag (\\S+?)\\.");

    private final ObjectMapper json = new ObjectMapper();
    private final TokenCounter counter = JtokkitTokenCounter.forEncoding("o200k_base");

    record Answer(byte[] body, int completionTokens) {
    }

    /** A deterministic "summary": the first words of the material, or a translation-looking echo. */
    Answer completion(JsonNode body, int prompt, int maxTokens, String user) throws IOException {
        Matcher m = MATERIAL.matcher(user);
        String material = m.find() ? m.group(2) : user;
        String system = body.path("messages").path(0).path("content").asText();
        Matcher target = TARGET.matcher(system);
        List<String> words = Arrays.asList(material.strip().split("\\s+"));
        if (words.stream().anyMatch(w -> w.length() > 30)) {
            // Unspaced scripts (Japanese, Chinese): answer in short runs of characters instead of words.
            words = Arrays.asList(material.strip().replaceAll("\\s+", "").split("(?<=\\G.{4})"));
        }
        if (material.contains(FakeOpenAi.FILTER_MARKER)) {
            ObjectNode out = json.createObjectNode();
            out.put("id", "chatcmpl-fake").put("object", "chat.completion").put("model", body.path("model").asText());
            ObjectNode choice = out.putArray("choices").addObject();
            choice.put("index", 0).put("finish_reason", "content_filter");
            choice.putObject("message").put("role", "assistant").put("content", "");
            out.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", 0).put("total_tokens", prompt);
            return new Answer(json.writeValueAsBytes(out), 0);
        }
        boolean verbose = material.contains(FakeOpenAi.VERBOSE_MARKER);
        int wanted = verbose ? Integer.MAX_VALUE : Math.max(5, maxTokens / 3);
        StringBuilder answer = new StringBuilder(target.find() ? "[" + target.group(1) + "] " : "");
        // Words are counted one at a time (cheap), then the answer once, trimmed if the whole counts more.
        int limit = Math.min(maxTokens, wanted);
        int used = counter.count(answer.toString());
        List<Integer> ends = new ArrayList<>();
        for (int i = 0; verbose || i < words.size(); i++) {
            String piece = (i == 0 ? "" : " ") + words.get(i % words.size());
            int t = counter.count(piece);
            if (used + t > limit) {
                break;
            }
            answer.append(piece);
            ends.add(answer.length());
            used += t;
        }
        String text = answer.toString().strip();
        int completion = counter.count(text);
        while (completion > limit && ends.size() > 1) {
            ends.remove(ends.size() - 1);
            text = answer.substring(0, ends.get(ends.size() - 1)).strip();
            completion = counter.count(text);
        }
        boolean cut = verbose || (completion >= maxTokens);
        ObjectNode out = json.createObjectNode();
        out.put("id", "chatcmpl-fake").put("object", "chat.completion").put("model", body.path("model").asText());
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", cut ? "length" : "stop");
        choice.putObject("message").put("role", "assistant").put("content", text);
        out.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
        return new Answer(json.writeValueAsBytes(out), completion);
    }
}
