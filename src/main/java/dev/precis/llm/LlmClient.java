package dev.precis.llm;

/** A chat model that answers one call at a time; implementations must be thread-safe. */
public interface LlmClient {

    /** The model's answer, or an {@link LlmException} that says what kind of failure it was. */
    LlmReply complete(LlmCall call);

    /** Name of the model behind this client, as reported in results. */
    String model();
}
