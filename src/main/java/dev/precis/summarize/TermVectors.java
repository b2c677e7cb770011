package dev.precis.summarize;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Bag-of-terms vectors for sentences: words for spaced scripts, character bigrams for Han and kana. */
final class TermVectors {

    private TermVectors() {
    }

    static List<String> terms(String sentence) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        String s = sentence.toLowerCase(Locale.ROOT);
        int prevCjk = -1;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (isUnspacedScript(cp)) {
                flush(word, out);
                if (prevCjk >= 0) {
                    out.add(new String(Character.toChars(prevCjk)) + new String(Character.toChars(cp)));
                }
                prevCjk = cp;
            } else {
                prevCjk = -1;
                if (Character.isLetterOrDigit(cp)) {
                    word.appendCodePoint(cp);
                } else {
                    flush(word, out);
                }
            }
        }
        flush(word, out);
        return out;
    }

    static List<Map<String, Double>> tfidf(List<String> sentences) {
        List<Map<String, Integer>> counts = new ArrayList<>();
        Map<String, Integer> df = new HashMap<>();
        for (String s : sentences) {
            Map<String, Integer> tf = new HashMap<>();
            terms(s).forEach(t -> tf.merge(t, 1, Integer::sum));
            tf.keySet().forEach(t -> df.merge(t, 1, Integer::sum));
            counts.add(tf);
        }
        int n = sentences.size();
        List<Map<String, Double>> out = new ArrayList<>();
        for (Map<String, Integer> tf : counts) {
            Map<String, Double> v = new HashMap<>();
            tf.forEach((t, c) -> v.put(t, (1 + Math.log(c)) * Math.log(1.0 + n / (double) df.get(t))));
            out.add(v);
        }
        return out;
    }

    static Map<String, Double> centroid(List<Map<String, Double>> vectors) {
        Map<String, Double> c = new HashMap<>();
        vectors.forEach(v -> v.forEach((t, w) -> c.merge(t, w, Double::sum)));
        return c;
    }

    static double cosine(Map<String, Double> a, Map<String, Double> b) {
        Map<String, Double> small = a.size() <= b.size() ? a : b;
        Map<String, Double> large = small == a ? b : a;
        double dot = 0;
        for (Map.Entry<String, Double> e : small.entrySet()) {
            Double w = large.get(e.getKey());
            if (w != null) {
                dot += e.getValue() * w;
            }
        }
        double norm = norm(a) * norm(b);
        return norm == 0 ? 0 : dot / norm;
    }

    private static double norm(Map<String, Double> v) {
        double sum = 0;
        for (double w : v.values()) {
            sum += w * w;
        }
        return Math.sqrt(sum);
    }

    private static boolean isUnspacedScript(int cp) {
        Character.UnicodeScript script = Character.UnicodeScript.of(cp);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA;
    }

    private static void flush(StringBuilder word, List<String> out) {
        if (!word.isEmpty()) {
            out.add(word.toString());
            word.setLength(0);
        }
    }
}
