package dev.precis.chunking;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text at one level of natural boundaries (paragraph, line, sentence, word), keeping every
 * character: the pieces concatenate back to the input.
 */
final class Boundaries {

    enum Level { PARAGRAPH, LINE, SENTENCE, WORD }

    private Boundaries() {
    }

    static List<String> split(String text, Level level) {
        return switch (level) {
            case PARAGRAPH -> paragraphs(text);
            case LINE -> cutAfter(text, (s, i) -> s.charAt(i) == '\n');
            case SENTENCE -> cutAfter(text, Boundaries::endsSentence);
            case WORD -> cutAfter(text, (s, i) -> Character.isWhitespace(s.charAt(i))
                    && i + 1 < s.length() && !Character.isWhitespace(s.charAt(i + 1)));
        };
    }

    /** Paragraphs end at a blank line, except inside a fenced code block, which stays whole. */
    private static List<String> paragraphs(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        boolean inFence = false;
        int lineStart = 0;
        while (lineStart < text.length()) {
            int nl = text.indexOf('\n', lineStart);
            int lineEnd = nl < 0 ? text.length() : nl + 1;
            String line = text.substring(lineStart, lineEnd);
            if (line.stripLeading().startsWith("```") || line.stripLeading().startsWith("~~~")) {
                inFence = !inFence;
            }
            boolean blank = line.isBlank();
            boolean nextBlank = lineEnd < text.length() && isBlankLineAt(text, lineEnd);
            // Close the paragraph after the last of a run of blank lines.
            if (!inFence && blank && !nextBlank && lineEnd > start) {
                out.add(text.substring(start, lineEnd));
                start = lineEnd;
            }
            lineStart = lineEnd;
        }
        if (start < text.length()) {
            out.add(text.substring(start));
        }
        return out;
    }

    private static boolean isBlankLineAt(String text, int from) {
        int nl = text.indexOf('\n', from);
        return text.substring(from, nl < 0 ? text.length() : nl).isBlank();
    }

    /** A sentence ends after . ! ? … followed by space, or right after CJK full-width stops. */
    private static boolean endsSentence(String s, int i) {
        char c = s.charAt(i);
        if (c > ' ' && c < 0x7F && c != '"' && c != '\'' && c != ')' && c != ']') {
            // Most characters: visible ASCII that is neither a closing mark nor a CJK stop.
            return false;
        }
        boolean last = i + 1 >= s.length();
        if (isCjkStop(c) || (isClosing(c) && followsCjkStop(s, i))) {
            return last || !isClosing(s.charAt(i + 1));
        }
        if (Character.isWhitespace(c)) {
            // Keep the whitespace after a stop with the sentence it ends.
            return !last && !Character.isWhitespace(s.charAt(i + 1)) && precededByStop(s, i);
        }
        return false;
    }

    private static boolean isCjkStop(char c) {
        return c == '。' || c == '！' || c == '？' || c == '｡';
    }

    private static boolean followsCjkStop(String s, int i) {
        int j = i;
        while (j > 0 && isClosing(s.charAt(j))) {
            j--;
        }
        return isCjkStop(s.charAt(j));
    }

    private static boolean precededByStop(String s, int i) {
        int j = i;
        while (j > 0 && Character.isWhitespace(s.charAt(j - 1))) {
            j--;
        }
        while (j > 0 && isClosing(s.charAt(j - 1))) {
            j--;
        }
        if (j == 0) {
            return false;
        }
        char stop = s.charAt(j - 1);
        return stop == '.' || stop == '!' || stop == '?' || stop == '…';
    }

    private static boolean isClosing(char c) {
        return c == '"' || c == '\'' || c == ')' || c == ']' || c == '”' || c == '’'
                || c == '」' || c == '』' || c == '）' || c == '》' || c == '〉';
    }

    private interface Cut {
        boolean after(String s, int i);
    }

    private static List<String> cutAfter(String text, Cut cut) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (cut.after(text, i)) {
                out.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            out.add(text.substring(start));
        }
        return out;
    }
}
