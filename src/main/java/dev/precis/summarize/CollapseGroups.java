package dev.precis.summarize;

import dev.precis.chunking.Chunk;
import dev.precis.chunking.TextSplitter;
import dev.precis.chunking.TokenCounter;
import java.util.ArrayList;
import java.util.List;

/** CollapseGroups of partial summaries for one collapse call each. */
final class CollapseGroups {

    private CollapseGroups() {
    }

    /** Consecutive partials packed by token count; a partial too big on its own is split. */
    static List<String> pack(List<String> partials, int groupBudget, TextSplitter splitter, TokenCounter counter,
            String separatorText) {
        List<String> groups = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int used = 0;
        int separator = counter.count(separatorText);
        for (String p : partials) {
            for (Chunk piece : splitter.split(p, groupBudget / 2)) {
                if (used + piece.tokens() + separator > groupBudget && used > 0) {
                    groups.add(current.toString());
                    current.setLength(0);
                    used = 0;
                }
                current.append(used > 0 ? separatorText : "").append(piece.text());
                used += piece.tokens() + separator;
            }
        }
        if (used > 0) {
            groups.add(current.toString());
        }
        return groups;
    }
}
