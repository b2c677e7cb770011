package dev.precis.llm;

import dev.precis.chunking.TokenCounter;

/**
 * Checks every answer's reported prompt tokens against the prompt that was sent: an answer whose
 * server read only part of its prompt (Ollama drops the head of an over-long prompt and answers
 * 200) is not returned but thrown as {@link LlmException.Kind#CONTEXT_LENGTH_EXCEEDED}, so that the
 * caller splits the text and no partial store keeps it; a whole one teaches the server's token
 * ratio. Sits below the partial store and above the gateway.
 */
public final class TruncationCheck implements LlmClient {

    private final LlmClient delegate;
    private final ServerWindow window;
    private final TokenCounter counter;

    public TruncationCheck(LlmClient delegate, ServerWindow window, TokenCounter counter) {
        this.delegate = delegate;
        this.window = window;
        this.counter = counter;
    }

    @Override
    public LlmReply complete(LlmCall call) {
        LlmReply reply = delegate.complete(call);
        if (reply.reused()) {
            return reply;
        }
        int system = counter.count(call.system());
        int local = call.promptTokens() >= 0 ? call.promptTokens() : system + counter.count(call.user());
        int text = local - system;
        if (window.answered(local, text, call.user(), reply.inputTokens()) == ServerWindow.Check.TRUNCATED) {
            throw new LlmException(LlmException.Kind.CONTEXT_LENGTH_EXCEEDED, "The server read only "
                    + reply.inputTokens() + " tokens of the prompt").refusal(ContextRefusal.truncated(reply.inputTokens()))
                    .spent(reply);
        }
        return reply;
    }

    @Override
    public String model() {
        return delegate.model();
    }
}
