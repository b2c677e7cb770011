package dev.precis.translate;

/** A summary rendered in another language, named by its BCP-47 tag. */
public record Translation(String language, String text) {
}
