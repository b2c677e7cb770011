package dev.precis.llm;

/**
 * One chat completion request: the pipeline stage asking, the two messages, the output cap, the
 * prompt's local token count when the caller already has it (-1: not counted), so that no layer
 * counts the same prompt again, who wants the answer's text as it is written ({@link
 * TokenSink#NONE}: nobody), and the document it is for (null when not known), for the records of
 * a batch. Every layer passes the call on as it is; only the provider streams.
 */
public record LlmCall(String stage, String system, String user, int maxOutputTokens, int promptTokens, TokenSink sink,
        String document) {

    public LlmCall(String stage, String system, String user, int maxOutputTokens, int promptTokens, TokenSink sink) {
        this(stage, system, user, maxOutputTokens, promptTokens, sink, null);
    }

    public LlmCall(String stage, String system, String user, int maxOutputTokens, int promptTokens) {
        this(stage, system, user, maxOutputTokens, promptTokens, TokenSink.NONE);
    }

    public LlmCall(String stage, String system, String user, int maxOutputTokens) {
        this(stage, system, user, maxOutputTokens, -1);
    }

    /** Whether someone wants the text as it is written. */
    public boolean streamed() {
        return sink != TokenSink.NONE;
    }
}
