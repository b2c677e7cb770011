package dev.precis.llm;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Price of a model in US dollars per million input, output and cached input tokens, for cost
 * estimates, and the share of it a call through the Batch API costs ({@code batchRatio}: OpenAI
 * and most providers with its Batch API bill half). The cached price defaults to the input price,
 * so an estimate never comes out low.
 */
public record Pricing(double inputPerMillion, double outputPerMillion, double cachedInputPerMillion, double batchRatio) {

    public static final double BATCH_RATIO = 0.5;
    public static final Pricing FREE = new Pricing(0, 0);

    public Pricing(double inputPerMillion, double outputPerMillion) {
        this(inputPerMillion, outputPerMillion, inputPerMillion);
    }

    public Pricing(double inputPerMillion, double outputPerMillion, double cachedInputPerMillion) {
        this(inputPerMillion, outputPerMillion, cachedInputPerMillion, BATCH_RATIO);
    }

    // List prices (standard tier, short prompts) at the time of writing; override with precis.models.NAME.*-price-per-million.
    private static final Map<String, Pricing> BUILT_IN = Map.ofEntries(
            Map.entry("gpt-4o", new Pricing(2.50, 10.00)),
            Map.entry("gpt-4o-mini", new Pricing(0.15, 0.60)),
            Map.entry("gpt-4.1", new Pricing(2.00, 8.00)),
            Map.entry("gpt-4.1-mini", new Pricing(0.40, 1.60)),
            Map.entry("gpt-4.1-nano", new Pricing(0.10, 0.40)),
            Map.entry("gpt-5", new Pricing(1.25, 10.00)),
            Map.entry("gpt-5-mini", new Pricing(0.25, 2.00)),
            Map.entry("gpt-5-nano", new Pricing(0.05, 0.40)),
            Map.entry("o3", new Pricing(2.00, 8.00)),
            Map.entry("o4-mini", new Pricing(1.10, 4.40)),
            Map.entry("gpt-4-turbo", new Pricing(10.00, 30.00)),
            Map.entry("gpt-3.5-turbo", new Pricing(0.50, 1.50)),
            Map.entry("gemini-2.5-pro", new Pricing(1.25, 10.00)),
            Map.entry("gemini-2.5-flash", new Pricing(0.30, 2.50)),
            Map.entry("gemini-2.5-flash-lite", new Pricing(0.10, 0.40)),
            Map.entry("gemini-2.0-flash", new Pricing(0.10, 0.40)));

    /** The built-in price whose name is the longest prefix of {@code model}, if any. */
    public static Optional<Pricing> builtIn(String model) {
        String name = model.toLowerCase(Locale.ROOT);
        String best = null;
        for (String key : BUILT_IN.keySet()) {
            if ((name.equals(key) || name.startsWith(key + "-")) && (best == null || key.length() > best.length())) {
                best = key;
            }
        }
        return Optional.ofNullable(best).map(BUILT_IN::get);
    }

    /** Estimated cost of the given token counts. */
    public double cost(long inputTokens, long outputTokens) {
        return cost(inputTokens, outputTokens, 0);
    }

    /** Estimated cost of one answer, at the batch price when it came through the Batch API. */
    public double cost(LlmReply reply) {
        double online = cost(reply.inputTokens(), reply.outputTokens(), reply.cachedTokens());
        return reply.batch() ? online * batchRatio : online;
    }

    /** Estimated cost of a document's usage: its online part at the online price, its batch part at the batch price. */
    public double cost(Usage usage) {
        Usage batch = usage.batchPart();
        Usage online = usage.onlinePart();
        return cost(online.inputTokens(), online.outputTokens(), online.cachedTokens())
                + batchRatio * cost(batch.inputTokens(), batch.outputTokens(), batch.cachedTokens());
    }

    /** Estimated cost when {@code cachedTokens} of the input were served from the provider's cache. */
    public double cost(long inputTokens, long outputTokens, long cachedTokens) {
        long cached = Math.min(cachedTokens, inputTokens);
        return ((inputTokens - cached) * inputPerMillion + cached * cachedInputPerMillion
                + outputTokens * outputPerMillion) / 1_000_000.0;
    }
}
