package dev.precis.llm;

/**
 * Where the text of an answer goes while the model writes it, for callers that show it as it
 * grows. {@link #begin()} comes before each answer's first text: a second one means that what came
 * before is replaced (a retry, a discarded answer, a refine step), so the final result, not the
 * concatenation, is the summary.
 */
public interface TokenSink {

    /** Nobody listens: calls are made whole, as always. */
    TokenSink NONE = new TokenSink() {
        @Override
        public void begin() {
        }

        @Override
        public void text(String delta) {
        }
    };

    void begin();

    void text(String delta);
}
