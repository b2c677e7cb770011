package dev.precis.summarize;

import dev.precis.llm.LlmException;
import dev.precis.llm.Usage;

/** A summary that failed for good, carrying what its model calls had already cost. */
public final class SummaryFailedException extends RuntimeException {

    private final transient Usage usage;
    private final LlmException.Kind kind;

    public SummaryFailedException(LlmException cause, Usage usage) {
        super(cause.getMessage(), cause);
        this.usage = usage;
        this.kind = cause.kind();
    }

    public Usage usage() {
        return usage;
    }

    public LlmException.Kind kind() {
        return kind;
    }
}
