package dev.precis.chunking;

/**
 * What the chunker must know about a model: its context window, its output ceiling, its tokenizer
 * and a margin for tokens a local count cannot see (chat formatting, provider-side tokens).
 */
public record ModelProfile(
        String model, int contextWindow, int maxOutputTokens, String encoding, int marginTokens) {

    public ModelProfile {
        if (contextWindow <= 0 || maxOutputTokens <= 0 || marginTokens < 0) {
            throw new IllegalArgumentException("Model profile for '" + model
                    + "' needs a positive context window and output limit and a non-negative margin");
        }
        if (maxOutputTokens + marginTokens >= contextWindow) {
            throw new IllegalArgumentException("Model profile for '" + model
                    + "': output limit plus margin leaves no room for input in a context of "
                    + contextWindow + " tokens");
        }
    }

    /** Tokens a prompt may hold when {@code reservedOutput} tokens are kept free for the answer. */
    public int inputBudget(int reservedOutput) {
        return contextWindow - marginTokens - Math.min(reservedOutput, maxOutputTokens);
    }
}
