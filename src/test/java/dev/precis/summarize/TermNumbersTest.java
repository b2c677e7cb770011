package dev.precis.summarize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Terms numbered by the characters they span agree with numbering them as strings. */
class TermNumbersTest {

    @Test
    void numbersAndDocumentFrequenciesAgreeWithAMapOfStrings() {
        TermNumbers numbers = new TermNumbers(1);
        Map<String, Integer> expected = new HashMap<>();
        Map<String, Set<Integer>> sentencesOf = new HashMap<>();
        Random random = new Random(5);
        // Enough distinct terms to grow the tables several times, with collisions of short words.
        for (int sentence = 0; sentence < 2_000; sentence++) {
            StringBuilder text = new StringBuilder("x ");
            int[] starts = new int[8];
            int[] ends = new int[8];
            for (int k = 0; k < 8; k++) {
                starts[k] = text.length();
                text.append(Integer.toString(random.nextInt(3_000), 36));
                ends[k] = text.length();
                text.append(' ');
            }
            String s = text.toString();
            for (int k = 0; k < 8; k++) {
                String term = s.substring(starts[k], ends[k]);
                int number = numbers.number(s, starts[k], ends[k], sentence);
                assertEquals(expected.computeIfAbsent(term, t -> expected.size()), number, term);
                sentencesOf.computeIfAbsent(term, t -> new HashSet<>()).add(sentence);
            }
        }
        assertEquals(expected.size(), numbers.size());
        expected.forEach((term, number) -> assertEquals(sentencesOf.get(term).size(), numbers.documentFrequency(number), term));
    }
}
