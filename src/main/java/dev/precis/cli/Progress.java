package dev.precis.cli;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One line of progress: sent, summarized, failed, rate and time left. On a terminal it is redrawn
 * in place; otherwise (a log, CI) it is printed every 5 s. Failures are listed as they come.
 */
final class Progress {

    private final int total;
    private final int skipped;
    private final PrintWriter out;
    private final boolean terminal = System.console() != null;
    private final long start = System.nanoTime();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger summarized = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private long lastShown;
    private String lastLine = "";

    Progress(int total, int skipped, PrintWriter out) {
        this.total = total;
        this.skipped = skipped;
        this.out = out;
        out.printf("%d documents, %d already summarized (skipped), %d to send%n", total, skipped, total - skipped);
    }

    void sent() {
        sent.incrementAndGet();
    }

    void summarized() {
        summarized.incrementAndGet();
    }

    void failed(String id, String why) {
        failed.incrementAndGet();
        out.printf("%sfailed: %s: %s%n", terminal ? "\r\033[K" : "", id, why);
    }

    void show() {
        long now = System.nanoTime();
        if (now - lastShown < (terminal ? 250_000_000L : 5_000_000_000L)) {
            return;
        }
        lastShown = now;
        lastLine = line(now);
        out.print((terminal ? "\r\033[K" : "") + lastLine + (terminal ? "" : "\n"));
        out.flush();
    }

    void finish() {
        String last = line(System.nanoTime());
        // Off a terminal the same line may have been printed a moment ago; on one it is redrawn.
        if (terminal || !last.equals(lastLine)) {
            out.print((terminal ? "\r\033[K" : "") + last + "\n");
        }
        out.flush();
    }

    private String line(long now) {
        int ended = summarized.get() + failed.get();
        int toSend = total - skipped;
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? ended / seconds : 0;
        String left = rate > 0 && ended < toSend ? String.format("%.0f s left", (toSend - ended) / rate) : "";
        int width = 30;
        int filled = toSend == 0 ? width : (int) ((long) width * ended / toSend);
        return String.format("[%s%s] sent %d/%d, summarized %d, failed %d, %.1f/s %s", "#".repeat(filled),
                ".".repeat(width - filled), sent.get(), toSend, summarized.get(), failed.get(), rate, left).strip();
    }
}
