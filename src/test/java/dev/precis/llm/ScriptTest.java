package dev.precis.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Which family of writing a text is in, as the token ratios are learned per family. */
class ScriptTest {

    @Test
    void eachFamilyIsRecognisedAndAMixIsCalledMixed() {
        assertEquals(Script.LATIN, Script.of("Tea is an aromatic beverage; café, naïve, Ærø, Łódź."));
        assertEquals(Script.HANGUL, Script.of("차는 세계에서 가장 많이 마시는 음료입니다."));
        assertEquals(Script.HAN_KANA, Script.of("お茶は世界で最も広く飲まれている飲み物です。"));
        assertEquals(Script.OTHER, Script.of("Чай — ароматный напиток."));
        assertEquals(Script.MIXED, Script.of("Tea and 차는 세계에서 가장"));
        assertEquals(Script.LATIN, Script.of("1234 --- !!!"), "no letters at all");
    }

    @Test
    void lettersAreCountedPerFamilyAndInAll() {
        int[] letters = Script.letters("abcd 가나");
        assertEquals(4, letters[Script.LATIN.ordinal()]);
        assertEquals(2, letters[Script.HANGUL.ordinal()]);
        assertEquals(0, letters[Script.HAN_KANA.ordinal()] + letters[Script.OTHER.ordinal()]);
        assertEquals(6, letters[letters.length - 1]);
    }
}
