package dev.precis.chunking;

/**
 * One piece of a document, with its exact token count under the model's tokenizer. The first
 * {@code overlapChars} characters repeat the end of the previous chunk (0 without overlap).
 */
public record Chunk(int index, String text, int tokens, int overlapChars) {

    /** The part of this chunk that no earlier chunk holds. */
    public String newText() {
        return text.substring(overlapChars);
    }
}
