package dev.precis.summarize;

import dev.precis.chunking.Sentences;
import dev.precis.chunking.TextSplitter;
import dev.precis.chunking.TokenCounter;
import dev.precis.llm.Usage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Summarizes without a model: scores sentences by similarity to the document's TF-IDF centroid,
 * plus a bonus for early position and for phrases that announce a contribution ("we propose",
 * "this paper"), picks the best within the token budget while skipping near-duplicates, and returns
 * them in document order as markdown bullets. Deterministic; any document length.
 */
public final class ExtractiveSummarizer implements Summarizer {

    public static final String MODEL = "extractive";
    private static final double REDUNDANCY_LIMIT = 0.6;
    private static final int MAX_SENTENCES = 20_000;
    private static final double LEAD_WEIGHT = 0.15;
    private static final double CUE_WEIGHT = 0.3;
    // Phrases with which (English) reports and papers state what they contribute.
    private static final List<String> CUES = List.of("we propose", "we present", "we introduce", "this paper",
            "this work", "we show", "we demonstrate", "our method", "our approach", "we develop", "we find",
            "we study", "here we", "we describe", "we investigate", "we explore", "we address", "novel",
            "in summary", "we conclude", "the results show", "results show");

    private final TokenCounter counter;

    public ExtractiveSummarizer(TokenCounter counter) {
        this.counter = counter;
    }

    @Override
    public String model() {
        return MODEL;
    }

    @Override
    public Summary summarize(SummaryRequest request) {
        List<String> sentences = Sentences.of(request.text());
        List<String> warnings = new ArrayList<>();
        if (sentences.size() > MAX_SENTENCES) {
            warnings.add("Only the first " + MAX_SENTENCES + " of " + sentences.size()
                    + " sentences were considered.");
            sentences = sentences.subList(0, MAX_SENTENCES);
        }
        List<Map<String, Double>> vectors = TermVectors.tfidf(sentences);
        Map<String, Double> centroid = TermVectors.centroid(vectors);
        List<Integer> order = new ArrayList<>();
        double[] score = new double[sentences.size()];
        for (int i = 0; i < sentences.size(); i++) {
            score[i] = TermVectors.cosine(vectors.get(i), centroid) + LEAD_WEIGHT / (1 + i)
                    + (hasCue(sentences.get(i)) ? CUE_WEIGHT : 0);
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -score[i]).thenComparing(i -> i));

        List<Integer> chosen = select(sentences, vectors, order, request.maxSummaryTokens());
        if (chosen.isEmpty()) {
            chosen = List.of(order.getFirst());
            warnings.add("The most central sentence is longer than the summary budget; it is shortened.");
        }
        String text = render(sentences, chosen, request.maxSummaryTokens());
        return new Summary(text, Strategy.EXTRACTIVE, MODEL, 1, Usage.NONE, warnings);
    }

    /** A sentence as a markdown bullet, without the list or heading marker it may already carry. */
    private static String bullet(String sentence) {
        return "- " + sentence.replaceFirst("^(#{1,6}|[-*+]|\\d{1,3}[.)])\\s+", "");
    }

    private static boolean hasCue(String sentence) {
        String lower = sentence.toLowerCase(java.util.Locale.ROOT);
        for (String cue : CUES) {
            if (lower.contains(cue)) {
                return true;
            }
        }
        return false;
    }

    private List<Integer> select(List<String> sentences, List<Map<String, Double>> vectors,
            List<Integer> order, int budget) {
        List<Integer> chosen = new ArrayList<>();
        int used = 0;
        for (int i : order) {
            int cost = counter.count(bullet(sentences.get(i))) + 1;
            if (used + cost > budget) {
                continue;
            }
            boolean redundant = chosen.stream()
                    .anyMatch(j -> TermVectors.cosine(vectors.get(i), vectors.get(j)) > REDUNDANCY_LIMIT);
            if (!redundant) {
                chosen.add(i);
                used += cost;
            }
        }
        chosen.sort(Comparator.naturalOrder());
        return chosen;
    }

    /** Chosen sentences in document order, one bullet each, cut at a boundary if one alone is too long. */
    private String render(List<String> sentences, List<Integer> chosen, int budget) {
        String text = String.join("\n", chosen.stream().map(i -> bullet(sentences.get(i))).toList());
        if (counter.count(text) <= budget) {
            return text;
        }
        String head = new TextSplitter(counter).split(text, Math.max(TextSplitter.MIN_BUDGET, budget - 1)).getFirst().text();
        return head.strip() + "…";
    }
}
