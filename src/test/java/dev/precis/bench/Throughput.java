package dev.precis.bench;

/** Records that reached an output topic and the time between the first and the last of them. */
record Throughput(int records, long firstNanos, long lastNanos) {

    double perSecond() {
        return lastNanos == firstNanos ? 0 : (records - 1) / ((lastNanos - firstNanos) / 1e9);
    }

    @Override
    public String toString() {
        return String.format("%,d records in %.2f s: %.0f/s", records, (lastNanos - firstNanos) / 1e9, perSecond());
    }
}
