package dev.precis.llm.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.precis.llm.ContextRefusal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every server's "too long", with the window and prompt count it gives, in its real wording. */
class WindowRefusalTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "OpenAI|128000|130512|{\"error\":{\"message\":\"This model's maximum context length is 128000 tokens. However, your messages resulted in 130512 tokens. Please reduce the length of the messages.\",\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}",
        "vLLM old|8192|9000|{\"object\":\"error\",\"message\":\"This model's maximum context length is 8192 tokens. However, you requested 9200 tokens (9000 in the messages, 200 in the completion). Please reduce the length of the messages or completion.\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}",
        "vLLM old, no max_tokens|8192|9000|{\"object\":\"error\",\"message\":\"This model's maximum context length is 8192 tokens. However, you requested 9000 tokens in the messages, Please reduce the length of the messages.\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}",
        "vLLM middle, input|8192|8500|{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens. However, your request has 8500 input tokens. Please reduce the length of the input messages. (parameter=input_tokens, value=8500)\",\"type\":\"BadRequestError\",\"param\":\"input_tokens\",\"code\":400}}",
        "vLLM middle, max_tokens|8192|8000|{\"error\":{\"message\":\"'max_tokens' or 'max_completion_tokens' is too large: 400. This model's maximum context length is 8192 tokens and your request has 8000 input tokens (400 > 8192 - 8000). (parameter=max_tokens, value=400)\",\"type\":\"BadRequestError\",\"param\":\"max_tokens\",\"code\":400}}",
        "vLLM new|8192|9100|{\"error\":{\"message\":\"You passed 9100 input tokens and requested 200 output tokens. However, the model's context length is only 8192 tokens, resulting in a maximum input length of 7992 tokens. Please reduce the length of the input prompt. (parameter=input_tokens, value=9100)\",\"type\":\"BadRequestError\",\"param\":\"input_tokens\",\"code\":400}}",
        "llama.cpp|4096|5210|{\"error\":{\"code\":400,\"message\":\"request (5210 tokens) exceeds the available context size (4096 tokens), try increasing it\",\"type\":\"exceed_context_size_error\",\"n_prompt_tokens\":5210,\"n_ctx\":4096}}",
        "llama.cpp 2025-09|4096|5210|{\"error\":{\"code\":500,\"message\":\"the request exceeds the available context size. try increasing the context size or enable context shift\",\"type\":\"exceed_context_size_error\",\"n_prompt_tokens\":5210,\"n_ctx\":4096}}",
        "Ollama, context shift off|-1|-1|{\"error\":{\"message\":\"the prompt is longer than the context length currently available to the model; shorten the prompt, adjust the context length in settings, or use a model with a longer context length\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}",
        "Ollama, truncate off|-1|-1|{\"error\":\"the input length exceeds the context length\"}",
        "LM Studio|-1|4096|{\"error\":\"Trying to keep the first 5120 tokens when context the overflows. However, the model is loaded with context length of only 4096 tokens, which is not enough. Try to load the model with a larger context length, or provide a shorter input\"}",
    })
    void readsTheWindowAndThePromptCountFromEachWording(String server, int window, int prompt, String body) {
        ContextRefusal r = WindowRefusal.parse(body).orElseThrow(() -> new AssertionError(server + " not recognized"));
        if (server.equals("LM Studio")) {
            assertEquals(4096, r.window(), server);
        } else {
            assertEquals(window, r.window(), server);
            assertEquals(prompt, r.promptTokens(), server);
        }
        assertFalse(r.message().isBlank(), server);
        assertFalse(r.message().startsWith("{"), "the server's words, not its JSON: " + r.message());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"error\":{\"message\":\"Rate limit reached for requests per min. Please try again in 1.5s.\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}",
        "{\"object\":\"error\",\"message\":\"The model `foo` does not exist.\",\"type\":\"NotFoundError\",\"param\":null,\"code\":404}",
        "{\"error\":\"model 'llama9' not found\"}",
    })
    void otherErrorsAreNotTooLong(String body) {
        assertTrue(WindowRefusal.parse(body).isEmpty(), body);
    }
}
