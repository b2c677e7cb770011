package dev.precis.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * ROUGE-N, ROUGE-L and ROUGE-Lsum as computed by Google's {@code rouge-score} package with its
 * default tokenizer and no stemming: lower-case, every run of characters other than a-z and 0-9
 * is a separator. Lsum splits both texts into sentences at newlines and uses the union LCS.
 */
public final class Rouge {

    /** Precision, recall and their harmonic mean (F1). */
    public record Score(double precision, double recall, double f1) {
        static Score of(double hits, int predicted, int target) {
            double p = predicted == 0 ? 0 : hits / predicted;
            double r = target == 0 ? 0 : hits / target;
            return new Score(p, r, p + r == 0 ? 0 : 2 * p * r / (p + r));
        }
    }

    private Rouge() {
    }

    public static List<String> tokens(String text) {
        String cleaned = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", " ").strip();
        return cleaned.isEmpty() ? List.of() : Arrays.asList(cleaned.split(" "));
    }

    /** ROUGE-N of a prediction against one target. */
    public static Score n(int n, String target, String prediction) {
        Map<List<String>, Integer> t = ngrams(tokens(target), n);
        Map<List<String>, Integer> p = ngrams(tokens(prediction), n);
        int hits = 0;
        for (Map.Entry<List<String>, Integer> e : p.entrySet()) {
            hits += Math.min(e.getValue(), t.getOrDefault(e.getKey(), 0));
        }
        return Score.of(hits, total(p), total(t));
    }

    /** ROUGE-L: longest common subsequence of the two token sequences. */
    public static Score l(String target, String prediction) {
        List<String> t = tokens(target);
        List<String> p = tokens(prediction);
        return Score.of(lcsTable(t, p)[t.size()][p.size()], p.size(), t.size());
    }

    /** ROUGE-Lsum: summary-level LCS over newline-separated sentences. */
    public static Score lsum(String target, String prediction) {
        List<List<String>> ref = sentences(target);
        List<List<String>> can = sentences(prediction);
        int m = ref.stream().mapToInt(List::size).sum();
        int n = can.stream().mapToInt(List::size).sum();
        if (m == 0 || n == 0) {
            return new Score(0, 0, 0);
        }
        Map<String, Integer> refCounts = counts(ref);
        Map<String, Integer> canCounts = counts(can);
        int hits = 0;
        for (List<String> r : ref) {
            for (String token : unionLcs(r, can)) {
                if (canCounts.getOrDefault(token, 0) > 0 && refCounts.getOrDefault(token, 0) > 0) {
                    hits++;
                    canCounts.merge(token, -1, Integer::sum);
                    refCounts.merge(token, -1, Integer::sum);
                }
            }
        }
        return Score.of(hits, n, m);
    }

    private static List<String> unionLcs(List<String> ref, List<List<String>> candidates) {
        TreeSet<Integer> indices = new TreeSet<>();
        for (List<String> c : candidates) {
            indices.addAll(lcsIndices(ref, c));
        }
        return indices.stream().map(ref::get).toList();
    }

    /** Indices into {@code ref} of one LCS, backtracked the way rouge-score does. */
    private static List<Integer> lcsIndices(List<String> ref, List<String> can) {
        int[][] t = lcsTable(ref, can);
        List<Integer> out = new ArrayList<>();
        int i = ref.size();
        int j = can.size();
        while (i > 0 && j > 0) {
            if (ref.get(i - 1).equals(can.get(j - 1))) {
                out.addFirst(i - 1);
                i--;
                j--;
            } else if (t[i][j - 1] > t[i - 1][j]) {
                j--;
            } else {
                i--;
            }
        }
        return out;
    }

    private static int[][] lcsTable(List<String> a, List<String> b) {
        int[][] t = new int[a.size() + 1][b.size() + 1];
        for (int i = 1; i <= a.size(); i++) {
            for (int j = 1; j <= b.size(); j++) {
                t[i][j] = a.get(i - 1).equals(b.get(j - 1)) ? t[i - 1][j - 1] + 1 : Math.max(t[i - 1][j], t[i][j - 1]);
            }
        }
        return t;
    }

    private static List<List<String>> sentences(String text) {
        return Arrays.stream(text.split("\n")).map(Rouge::tokens).filter(s -> !s.isEmpty()).toList();
    }

    private static Map<String, Integer> counts(List<List<String>> sentences) {
        Map<String, Integer> counts = new HashMap<>();
        sentences.forEach(s -> s.forEach(tok -> counts.merge(tok, 1, Integer::sum)));
        return counts;
    }

    private static Map<List<String>, Integer> ngrams(List<String> tokens, int n) {
        Map<List<String>, Integer> out = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            out.merge(List.copyOf(tokens.subList(i, i + n)), 1, Integer::sum);
        }
        return out;
    }

    private static int total(Map<List<String>, Integer> grams) {
        return grams.values().stream().mapToInt(Integer::intValue).sum();
    }
}
