package dev.precis.summarize;

import dev.precis.chunking.Sentences;
import dev.precis.chunking.TextSplitter;
import dev.precis.chunking.TokenCounter;
import dev.precis.llm.TokenSink;
import dev.precis.llm.Usage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

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
    private static final Pattern MARKER = Pattern.compile("^(#{1,6}|[-*+]|\\d{1,3}[.)])\\s+");
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
        List<String> lowerCased = sentences.stream().map(x -> x.toLowerCase(Locale.ROOT)).toList();
        TermVectors vectors = TermVectors.of(lowerCased);
        Integer[] order = new Integer[sentences.size()];
        double[] score = new double[sentences.size()];
        for (int i = 0; i < sentences.size(); i++) {
            score[i] = vectors.toCentroid(i) + LEAD_WEIGHT / (1 + i) + (hasCue(lowerCased.get(i)) ? CUE_WEIGHT : 0);
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -score[i]).thenComparing(i -> i));

        List<String> bullets = sentences.stream().map(ExtractiveSummarizer::bullet).toList();
        int[] counts = new int[sentences.size()];
        List<Integer> chosen = select(bullets, counts, vectors, order, request.maxSummaryTokens());
        if (chosen.isEmpty()) {
            chosen = List.of(order[0]);
            counts[order[0]] = counter.count(bullets.get(order[0]));
            warnings.add("The most central sentence is longer than the summary budget; it is shortened.");
        }
        String text = render(bullets, counts, chosen, request.maxSummaryTokens());
        if (request.sink() != TokenSink.NONE) {
            // Written at once, shown bullet by bullet, as a model's answer would be.
            request.sink().begin();
            String[] lines = text.split("\n");
            for (int i = 0; i < lines.length; i++) {
                request.sink().text(i == 0 ? lines[i] : "\n" + lines[i]);
            }
        }
        return new Summary(text, Strategy.EXTRACTIVE, MODEL, 1, Usage.NONE, warnings);
    }

    /** A sentence as a markdown bullet, without the list or heading marker it may already carry. */
    private static String bullet(String sentence) {
        char first = sentence.charAt(0);
        boolean marked = first == '#' || first == '-' || first == '*' || first == '+' || Character.isDigit(first);
        return "- " + (marked ? MARKER.matcher(sentence).replaceFirst("") : sentence);
    }

    private static boolean hasCue(String lower) {
        for (String cue : CUES) {
            if (lower.contains(cue)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The best sentences that fit the budget together, skipping near-duplicates of those already
     * chosen. A sentence is counted only when it might fit: the counter's lower bound rules out the
     * rest without encoding them, which is where most of the counting went.
     */
    private List<Integer> select(List<String> bullets, int[] counts, TermVectors vectors, Integer[] order, int budget) {
        List<Integer> chosen = new ArrayList<>();
        boolean[] picked = new boolean[bullets.size()];
        int used = 0;
        for (int i : order) {
            String bullet = bullets.get(i);
            if (used + counter.atLeast(bullet) + 1 > budget || redundant(vectors, chosen, i)) {
                continue;
            }
            counts[i] = counter.count(bullet);
            int cost = counts[i] + 1;
            if (used + cost <= budget) {
                chosen.add(i);
                picked[i] = true;
                used += cost;
            }
        }
        // In document order.
        List<Integer> inOrder = new ArrayList<>(chosen.size());
        for (int i = 0; i < picked.length; i++) {
            if (picked[i]) {
                inOrder.add(i);
            }
        }
        return inOrder;
    }

    private static boolean redundant(TermVectors vectors, List<Integer> chosen, int i) {
        for (int j : chosen) {
            if (vectors.cosine(i, j) > REDUNDANCY_LIMIT) {
                return true;
            }
        }
        return false;
    }

    /**
     * Chosen sentences in document order, one bullet each, cut at a boundary if one alone is too long.
     * The bullets were counted when chosen; only the line breaks between them are left to count.
     */
    private String render(List<String> bullets, int[] counts, List<Integer> chosen, int budget) {
        List<String> lines = chosen.stream().map(bullets::get).toList();
        String text = String.join("\n", lines);
        if (counter.countLines(lines, chosen.stream().mapToInt(i -> counts[i]).toArray()) <= budget) {
            return text;
        }
        String head = new TextSplitter(counter).split(text, Math.max(TextSplitter.MIN_BUDGET, budget - 1)).getFirst().text();
        return head.strip() + "…";
    }
}
