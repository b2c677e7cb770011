package dev.precis.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Renders evaluation results as a markdown table and as a bar chart of quality against speed and cost. */
final class Report {

    private static final Color[] SERIES = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c)};
    private static final String[] SERIES_NAMES = {"ROUGE-1", "ROUGE-2", "ROUGE-L"};

    private Report() {
    }

    static String markdown(List<SystemResult> results, Path dataset, int documents, int budget) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Dataset %s: %d documents, summary budget %d tokens; ROUGE F1 "
                + "(rouge-score tokenization, no stemming, best of the references).%n%n", dataset.getFileName(), documents, budget));
        sb.append("| system | R-1 | R-2 | R-L | R-Lsum | summary tokens | compression | p50 ms | p95 ms | docs/s "
                + "| calls | input tokens | output tokens | cost USD | failures |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (SystemResult r : results) {
            sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %.1f | %.1fx | %.1f | %.1f | %.1f "
                    + "| %d | %d | %d | %.4f | %d |%n", r.name(), r.rouge1(), r.rouge2(), r.rougeL(), r.rougeLsum(),
                    r.meanSummaryTokens(), r.compression(), r.latencyP50Ms(), r.latencyP95Ms(), r.docsPerSecond(),
                    r.llmCalls(), r.inputTokens(), r.outputTokens(), r.costUsd(), r.failures()));
        }
        return sb.toString();
    }

    static void chart(List<SystemResult> results, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int width = Math.max(640, 180 * results.size() + 160);
        int height = 480;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int left = 70;
        int top = 60;
        int bottom = height - 110;
        double max = Math.max(10, results.stream().mapToDouble(SystemResult::rouge1).max().orElse(10) * 1.15);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("Summary quality (ROUGE F1) against speed and cost, per system", left, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int tick = 0; tick <= max; tick += 5) {
            int y = bottom - (int) ((bottom - top) * tick / max);
            g.setColor(new Color(0xdddddd));
            g.drawLine(left, y, width - 20, y);
            g.setColor(Color.GRAY);
            g.drawString(Integer.toString(tick), left - 30, y + 4);
        }
        int groupWidth = (width - left - 40) / Math.max(1, results.size());
        int barWidth = Math.min(40, (groupWidth - 30) / 3);
        for (int i = 0; i < results.size(); i++) {
            SystemResult r = results.get(i);
            double[] values = {r.rouge1(), r.rouge2(), r.rougeL()};
            int x0 = left + 15 + i * groupWidth;
            for (int s = 0; s < 3; s++) {
                int h = (int) ((bottom - top) * values[s] / max);
                g.setColor(SERIES[s]);
                g.fillRect(x0 + s * barWidth, bottom - h, barWidth - 4, h);
                g.setColor(Color.DARK_GRAY);
                g.drawString(String.format(Locale.ROOT, "%.1f", values[s]), x0 + s * barWidth, bottom - h - 4);
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.drawString(r.name(), x0, bottom + 20);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(String.format(Locale.ROOT, "p50 %.0f ms", r.latencyP50Ms()), x0, bottom + 38);
            g.drawString(String.format(Locale.ROOT, "$%.4f, %d calls", r.costUsd(), r.llmCalls()), x0, bottom + 54);
        }
        g.setStroke(new BasicStroke(1));
        for (int s = 0; s < 3; s++) {
            g.setColor(SERIES[s]);
            g.fillRect(left + s * 110, height - 30, 12, 12);
            g.setColor(Color.DARK_GRAY);
            g.drawString(SERIES_NAMES[s], left + s * 110 + 18, height - 20);
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }
}
