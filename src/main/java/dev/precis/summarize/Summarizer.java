package dev.precis.summarize;

/** Turns one document into one summary; implementations are thread-safe. */
public interface Summarizer {

    /** The summary; throws {@link dev.precis.llm.LlmException} when a model call fails for good. */
    Summary summarize(SummaryRequest request);

    /** Name of the model behind this summarizer, or "extractive". */
    String model();
}
