package dev.precis.eval;

import dev.precis.chunking.Sentences;
import dev.precis.llm.Usage;
import dev.precis.summarize.Strategy;
import dev.precis.summarize.Summarizer;
import dev.precis.summarize.Summary;
import dev.precis.summarize.SummaryRequest;
import java.util.List;

/** The Lead-1 baseline: the document's first sentence, whatever its length. */
public final class LeadSummarizer implements Summarizer {

    @Override
    public String model() {
        return "lead-1";
    }

    @Override
    public Summary summarize(SummaryRequest request) {
        List<String> sentences = Sentences.of(request.text());
        return new Summary(sentences.isEmpty() ? "" : sentences.getFirst(), Strategy.EXTRACTIVE, "lead-1", 1,
                Usage.NONE, List.of());
    }
}
