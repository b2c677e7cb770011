package dev.precis.summarize;

/** Receives how long a pipeline stage took (chunking, summarize, translate); for metrics. */
public interface StageTimer {

    StageTimer NONE = (stage, nanos) -> { };

    void record(String stage, long nanos);
}
