package dev.precis.llm;

/**
 * A server's "this request is over my context window", with the numbers it gave: its window and
 * how many prompt tokens it counted (-1 where it did not say), and its own words. The provider
 * adapters read it from the server's error body ({@code llm.provider.WindowRefusal}).
 */
public record ContextRefusal(int window, int promptTokens, String message, boolean silent) {

    public ContextRefusal(int window, int promptTokens, String message) {
        this(window, promptTokens, message, false);
    }

    /** Not a refusal but its silent twin: the server answered after reading only {@code read} prompt tokens. */
    public static ContextRefusal truncated(int read) {
        return new ContextRefusal(-1, -1, "the server read only " + read + " tokens of the prompt", true);
    }
}
