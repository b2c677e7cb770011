package dev.precis.chunking;

/** One piece of a document, with its exact token count under the model's tokenizer. */
public record Chunk(int index, String text, int tokens) {
}
