package dev.precis.summarize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * TF-IDF vectors of a document's sentences over terms: words for spaced scripts, character bigrams
 * for Han and kana. Terms are numbered per document, so that a sentence's vector is two sorted
 * arrays and its norm is computed once: the summarizer compares every sentence with the centroid
 * and chosen sentences with each other, and boxed maps made that the largest part of its work.
 */
final class TermVectors {

    /** One sentence: its term numbers in ascending order, their weights and the vector's norm. */
    record Vector(int[] terms, double[] weights, double norm) {
    }

    // 1 + ln(tf) for the small counts nearly every term has.
    private static final double[] TF_WEIGHTS = new double[32];

    static {
        for (int tf = 1; tf < TF_WEIGHTS.length; tf++) {
            TF_WEIGHTS[tf] = 1 + Math.log(tf);
        }
    }

    private final List<Vector> vectors;
    private final double[] centroid;
    private final double centroidNorm;

    private TermVectors(List<Vector> vectors, double[] centroid) {
        this.vectors = vectors;
        this.centroid = centroid;
        double sum = 0;
        for (double w : centroid) {
            sum += w * w;
        }
        this.centroidNorm = Math.sqrt(sum);
    }

    /** Vectors of {@code sentences}, given already in lower case ({@link Locale#ROOT}). */
    static TermVectors of(List<String> lowerCased) {
        int chars = 0;
        for (String s : lowerCased) {
            chars += s.length();
        }
        // English prose has about one distinct term per ten characters; the tables grow if need be.
        TermNumbers numbers = new TermNumbers(chars / 10);
        List<int[]> counted = new ArrayList<>(lowerCased.size());
        for (int i = 0; i < lowerCased.size(); i++) {
            int[] ids = numbered(lowerCased.get(i), i, numbers);
            Arrays.sort(ids);
            counted.add(ids);
        }
        int n = lowerCased.size();
        // Each term's inverse document frequency once, not once per sentence that holds it.
        double[] idf = new double[numbers.size()];
        for (int t = 0; t < idf.length; t++) {
            idf[t] = Math.log(1.0 + n / (double) numbers.documentFrequency(t));
        }
        double[] centroid = new double[numbers.size()];
        List<Vector> vectors = new ArrayList<>(n);
        for (int[] ids : counted) {
            // ids is sorted; equal runs are one term's frequency in the sentence.
            int distinct = 0;
            for (int i = 0; i < ids.length; i++) {
                if (i == 0 || ids[i] != ids[i - 1]) {
                    distinct++;
                }
            }
            int[] terms = new int[distinct];
            double[] weights = new double[distinct];
            double sum = 0;
            for (int i = 0, k = 0; i < ids.length; k++) {
                int j = i;
                while (j < ids.length && ids[j] == ids[i]) {
                    j++;
                }
                double w = termFrequencyWeight(j - i) * idf[ids[i]];
                terms[k] = ids[i];
                weights[k] = w;
                centroid[ids[i]] += w;
                sum += w * w;
                i = j;
            }
            vectors.add(new Vector(terms, weights, Math.sqrt(sum)));
        }
        return new TermVectors(vectors, centroid);
    }

    /** 1 + ln(tf): the same value {@link Math#log} gives, looked up for the common small counts. */
    private static double termFrequencyWeight(int tf) {
        return tf < TF_WEIGHTS.length ? TF_WEIGHTS[tf] : 1 + Math.log(tf);
    }

    /**
     * Term numbers of one lower-cased sentence, in order: words (runs of letters and digits) of
     * spaced scripts, and overlapping character bigrams of Han and kana.
     */
    private static int[] numbered(String s, int sentence, TermNumbers numbers) {
        int[] ids = new int[16];
        int count = 0;
        int wordStart = -1;
        int prevCjk = -1;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int next = i + Character.charCount(cp);
            int term = -1;
            if (isUnspacedScript(cp)) {
                if (wordStart >= 0) {
                    ids = add(ids, count++, numbers.number(s, wordStart, i, sentence));
                    wordStart = -1;
                }
                if (prevCjk >= 0) {
                    term = numbers.number(s, prevCjk, next, sentence);
                }
                prevCjk = i;
            } else {
                prevCjk = -1;
                if (Character.isLetterOrDigit(cp)) {
                    wordStart = wordStart < 0 ? i : wordStart;
                } else if (wordStart >= 0) {
                    term = numbers.number(s, wordStart, i, sentence);
                    wordStart = -1;
                }
            }
            if (term >= 0) {
                ids = add(ids, count++, term);
            }
            i = next;
        }
        if (wordStart >= 0) {
            ids = add(ids, count++, numbers.number(s, wordStart, s.length(), sentence));
        }
        return Arrays.copyOf(ids, count);
    }

    private static int[] add(int[] ids, int at, int term) {
        int[] out = at < ids.length ? ids : Arrays.copyOf(ids, ids.length * 2);
        out[at] = term;
        return out;
    }

    /** Cosine similarity of sentence {@code i} to the centroid of all sentences. */
    double toCentroid(int i) {
        Vector v = vectors.get(i);
        double dot = 0;
        for (int k = 0; k < v.terms.length; k++) {
            dot += v.weights[k] * centroid[v.terms[k]];
        }
        double norm = v.norm * centroidNorm;
        return norm == 0 ? 0 : dot / norm;
    }

    /** Cosine similarity of sentences {@code i} and {@code j}. */
    double cosine(int i, int j) {
        Vector a = vectors.get(i);
        Vector b = vectors.get(j);
        double dot = 0;
        for (int x = 0, y = 0; x < a.terms.length && y < b.terms.length; ) {
            if (a.terms[x] == b.terms[y]) {
                dot += a.weights[x++] * b.weights[y++];
            } else if (a.terms[x] < b.terms[y]) {
                x++;
            } else {
                y++;
            }
        }
        double norm = a.norm * b.norm;
        return norm == 0 ? 0 : dot / norm;
    }

    private static boolean isUnspacedScript(int cp) {
        if (cp < 0x2E80) {
            // Below the CJK radicals there is no Han, hiragana or katakana: skip the script lookup.
            return false;
        }
        Character.UnicodeScript script = Character.UnicodeScript.of(cp);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA;
    }
}
