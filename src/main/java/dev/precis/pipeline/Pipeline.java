package dev.precis.pipeline;

import dev.precis.chunking.TokenCounter;
import dev.precis.llm.LlmException;
import dev.precis.llm.LlmReply;
import dev.precis.llm.Pricing;
import dev.precis.llm.TokenSink;
import dev.precis.llm.Usage;
import dev.precis.summarize.StageTimer;
import dev.precis.summarize.StrategyChoice;
import dev.precis.summarize.Summarizer;
import dev.precis.summarize.Summary;
import dev.precis.summarize.SummaryFailedException;
import dev.precis.summarize.SummaryRequest;
import dev.precis.translate.Translation;
import dev.precis.translate.Translator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The core of the worker, free of Kafka and Quarkus: summarizes a document, translates the summary
 * when asked, and turns any model failure into a FAILED outcome instead of an exception.
 */
public final class Pipeline {

    private final Summarizer summarizer;
    private final Optional<Translator> translator;
    private final TokenCounter counter;
    private final StrategyChoice defaultStrategy;
    private final StageTimer timer;
    private final Pricing pricing;
    private final Optional<Summarizer> whenFiltered;

    /**
     * {@code whenFiltered}: the summarizer that writes the summary instead when the provider's content
     * filter refuses the document (empty: such a document FAILS with the reason).
     */
    public Pipeline(Summarizer summarizer, Optional<Translator> translator, TokenCounter counter,
            StrategyChoice defaultStrategy, StageTimer timer, Pricing pricing, Optional<Summarizer> whenFiltered) {
        this.timer = timer;
        this.defaultStrategy = defaultStrategy;
        this.summarizer = summarizer;
        this.translator = translator;
        this.counter = counter;
        this.pricing = pricing;
        this.whenFiltered = whenFiltered;
    }

    public Pipeline(Summarizer summarizer, Optional<Translator> translator, TokenCounter counter,
            StrategyChoice defaultStrategy, StageTimer timer) {
        this(summarizer, translator, counter, defaultStrategy, timer, Pricing.FREE, Optional.empty());
    }

    /** The price table of this pipeline's model, for the result's cost estimate. */
    public Pricing pricing() {
        return pricing;
    }

    /** Name of the model (or "extractive") that writes this pipeline's summaries. */
    public String model() {
        return summarizer.model();
    }

    public Outcome process(Document doc) {
        return process(doc, TokenSink.NONE);
    }

    /** The same, with the final summary's text given to {@code sink} as it is written. */
    public Outcome process(Document doc, TokenSink sink) {
        long start = System.nanoTime();
        Summary summary;
        SummaryRequest request = new SummaryRequest(doc.id(), doc.title(), doc.language(),
                doc.text(), doc.maxSummaryTokens(), doc.strategy() == null ? defaultStrategy : doc.strategy(), sink);
        try {
            summary = summarizer.summarize(request);
        } catch (SummaryFailedException e) {
            if (e.kind() == LlmException.Kind.CONTENT_FILTERED && whenFiltered.isPresent()) {
                Summary fallback = whenFiltered.get().summarize(request);
                List<String> warnings = new ArrayList<>(fallback.warnings());
                warnings.add(0, "The model's content filter refused this document; this summary was written by "
                        + "the built-in extractive summarizer instead (precis.llm.content-filter-fallback).");
                summary = new Summary(fallback.text(), fallback.strategy(), fallback.model(), fallback.chunks(),
                        e.usage(), warnings);
            } else {
                return failed(start, e.kind(), e.getMessage(), e.usage());
            }
        } catch (LlmException e) {
            return failed(start, e.kind(), e.getMessage(), Usage.NONE);
        } catch (RuntimeException e) {
            return new Outcome(Status.FAILED, null, null, null, null, 0, Usage.NONE, millisSince(start), List.of(),
                    "Summarizing failed: " + e, null);
        } finally {
            timer.record("summarize", System.nanoTime() - start);
        }
        List<String> warnings = new ArrayList<>(summary.warnings());
        Usage usage = summary.usage();
        Translation translation = null;
        if (doc.targetLanguage() != null && !doc.targetLanguage().equals(doc.language())) {
            if (translator.isEmpty()) {
                warnings.add("Translation to " + doc.targetLanguage() + " was asked for, but no model is "
                        + "configured (precis.summarizer=extractive); the summary is untranslated.");
            } else {
                long translateStart = System.nanoTime();
                try {
                    LlmReply reply = translator.get().translate(summary.text(),
                            counter.count(summary.text()), doc.targetLanguage());
                    usage = usage.plus(Usage.of("translate", reply));
                    translation = new Translation(doc.targetLanguage(), reply.text().strip());
                    if (reply.truncated()) {
                        warnings.add("The translation reached its output limit and may be cut short.");
                    }
                } catch (LlmException e) {
                    warnings.add("Translation to " + doc.targetLanguage() + " failed: " + e.kind() + ": "
                            + e.getMessage());
                } finally {
                    timer.record("translate", System.nanoTime() - translateStart);
                }
            }
        }
        return new Outcome(Status.SUMMARIZED, summary.text(), translation, summary.model(),
                summary.strategy(), summary.chunks(), usage, millisSince(start), warnings, null, null);
    }

    /** A model failure: its kind for code, and "KIND: message" for people. */
    private static Outcome failed(long start, LlmException.Kind kind, String message, Usage spent) {
        return new Outcome(Status.FAILED, null, null, null, null, 0, spent, millisSince(start), List.of(),
                kind + ": " + message, kind);
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
