package dev.precis.wiring;

/** Where a model's settings live, as a message should name them. */
final class ModelKeys {

    private ModelKeys() {
    }

    /** precis.models.NAME, with the name quoted when it holds a dot or another character a key cannot. */
    static String of(String name) {
        return "precis.models." + (name.matches("[A-Za-z0-9_-]+") ? name : "\"" + name + "\"");
    }
}
