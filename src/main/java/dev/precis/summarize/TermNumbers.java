package dev.precis.summarize;

import java.util.Arrays;

/**
 * Numbers a document's terms in the order they are met, and counts in how many sentences each
 * occurs. A term is looked up by the characters it spans in its (lower-cased) sentence, so a term
 * met again costs a hash and a comparison, not a new string.
 */
final class TermNumbers {

    // Open addressing: a slot holds a term's number + 1, or 0 when free.
    private int[] slots;
    private String[] texts;
    private int[] froms;
    private int[] lengths;
    private int[] hashes;
    private int[] documentFrequency;
    private int[] lastSentence;
    private int size;

    /** Room for about {@code expected} terms before the tables grow. */
    TermNumbers(int expected) {
        int capacity = Integer.highestOneBit(Math.max(64, Math.min(expected, 1 << 20)) - 1) << 1;
        slots = new int[capacity * 2];
        texts = new String[capacity];
        froms = new int[capacity];
        lengths = new int[capacity];
        hashes = new int[capacity];
        documentFrequency = new int[capacity];
        lastSentence = new int[capacity];
    }

    int size() {
        return size;
    }

    int documentFrequency(int term) {
        return documentFrequency[term];
    }

    /** The number of text[from, to), met in sentence {@code sentence} (sentences come in order). */
    int number(String text, int from, int to, int sentence) {
        int length = to - from;
        int hash = 0;
        for (int i = from; i < to; i++) {
            hash = 31 * hash + text.charAt(i);
        }
        int mask = slots.length - 1;
        for (int slot = mix(hash) & mask; ; slot = (slot + 1) & mask) {
            int held = slots[slot] - 1;
            if (held < 0) {
                return added(text, from, length, hash, sentence, slot);
            }
            if (hashes[held] == hash && lengths[held] == length
                    && text.regionMatches(from, texts[held], froms[held], length)) {
                if (lastSentence[held] != sentence) {
                    lastSentence[held] = sentence;
                    documentFrequency[held]++;
                }
                return held;
            }
        }
    }

    private int added(String text, int from, int length, int hash, int sentence, int slot) {
        if (size == texts.length) {
            int grown = size * 2;
            texts = Arrays.copyOf(texts, grown);
            froms = Arrays.copyOf(froms, grown);
            lengths = Arrays.copyOf(lengths, grown);
            hashes = Arrays.copyOf(hashes, grown);
            documentFrequency = Arrays.copyOf(documentFrequency, grown);
            lastSentence = Arrays.copyOf(lastSentence, grown);
        }
        int term = size++;
        texts[term] = text;
        froms[term] = from;
        lengths[term] = length;
        hashes[term] = hash;
        documentFrequency[term] = 1;
        lastSentence[term] = sentence;
        slots[slot] = term + 1;
        if (size * 2 > slots.length) {
            rehash();
        }
        return term;
    }

    private void rehash() {
        slots = new int[slots.length * 2];
        int mask = slots.length - 1;
        for (int term = 0; term < size; term++) {
            int slot = mix(hashes[term]) & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = term + 1;
        }
    }

    private static int mix(int hash) {
        return hash ^ (hash >>> 16);
    }
}
