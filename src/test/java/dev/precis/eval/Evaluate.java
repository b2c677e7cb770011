package dev.precis.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.precis.chunking.JtokkitTokenCounter;
import dev.precis.chunking.ModelProfile;
import dev.precis.chunking.Sentences;
import dev.precis.chunking.TokenCounter;
import dev.precis.llm.ModelGateway;
import dev.precis.llm.Pricing;
import dev.precis.summarize.ExtractiveSummarizer;
import dev.precis.summarize.LlmSummarizer;
import dev.precis.summarize.Summarizer;
import dev.precis.summarize.Summary;
import dev.precis.summarize.SummaryRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The evaluation command: runs a JSONL dataset with reference summaries through one or more
 * summarizers (the real pipeline code) and reports ROUGE, length, speed and spend per summarizer
 * as a markdown table, a JSON file and a chart. See README, "Evaluation".
 */
public final class Evaluate {

    private Evaluate() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = options(args);
        Path dataset = Path.of(require(opts, "dataset"));
        int budget = Integer.parseInt(opts.getOrDefault("budget", "40"));
        int limit = Integer.parseInt(opts.getOrDefault("limit", "1000000"));
        Path out = Path.of(opts.getOrDefault("out", "target/eval"));
        List<EvalDocument> docs = EvalDocument.read(dataset, limit);
        TokenCounter counter = JtokkitTokenCounter.forEncoding("o200k_base");

        List<SystemResult> results = new ArrayList<>();
        for (String spec : opts.getOrDefault("systems", "lead-1;extractive").split(";")) {
            Named system = system(spec.strip(), counter);
            results.add(run(system, docs, budget, counter));
        }
        String table = Report.markdown(results, dataset, docs.size(), budget);
        System.out.println(table);
        Files.createDirectories(out);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("report.json").toFile(),
                Map.of("dataset", dataset.toString(), "documents", docs.size(), "budgetTokens", budget, "systems", results));
        Files.writeString(out.resolve("report.md"), table);
        Report.chart(results, out.resolve("chart.png"));
        System.out.println("Wrote " + out.resolve("report.json") + ", " + out.resolve("report.md") + " and "
                + out.resolve("chart.png"));
    }

    private record Named(String name, Summarizer summarizer, Pricing pricing) {
    }

    /**
     * {@code lead-1}, {@code extractive}, or {@code NAME=openai:BASE_URL,MODEL,CONTEXT_WINDOW,MAX_OUTPUT}
     * with the key in OPENAI_API_KEY (and optional ,INPUT_PRICE,OUTPUT_PRICE per million tokens).
     */
    private static Named system(String spec, TokenCounter counter) {
        if (spec.equals("lead-1")) {
            return new Named(spec, new LeadSummarizer(), Pricing.FREE);
        }
        if (spec.equals("extractive")) {
            return new Named(spec, new ExtractiveSummarizer(counter), Pricing.FREE);
        }
        int eq = spec.indexOf("=openai:");
        if (eq < 0) {
            throw new IllegalArgumentException("Unknown system '" + spec + "': use lead-1, extractive or NAME=openai:URL,MODEL,CONTEXT,MAX_OUTPUT");
        }
        String[] p = spec.substring(eq + 8).split(",");
        ModelProfile profile = new ModelProfile(p[1], Integer.parseInt(p[2]), Integer.parseInt(p[3]), "o200k_base", 64);
        Pricing pricing = p.length >= 6 ? new Pricing(Double.parseDouble(p[4]), Double.parseDouble(p[5]))
                : Pricing.builtIn(p[1]).orElse(Pricing.FREE);
        ModelGateway llm = new ModelGateway(new OpenAiHttpClient(p[0], p[1], System.getenv("OPENAI_API_KEY")),
                new ModelGateway.Limits(4, 0, 0),
                new ModelGateway.Retries(Duration.ofMinutes(2), Duration.ofSeconds(1), Duration.ofSeconds(30)),
                counter::count, Thread::sleep, ModelGateway.Listener.NONE);
        return new Named(spec.substring(0, eq), new LlmSummarizer(llm, profile, counter), pricing);
    }

    private static SystemResult run(Named system, List<EvalDocument> docs, int budget, TokenCounter counter) {
        double r1 = 0;
        double r2 = 0;
        double rl = 0;
        double rlsum = 0;
        double summaryTokens = 0;
        double compression = 0;
        long calls = 0;
        long in = 0;
        long out = 0;
        int failures = 0;
        double[] latency = new double[docs.size()];
        long started = System.nanoTime();
        for (int i = 0; i < docs.size(); i++) {
            EvalDocument d = docs.get(i);
            long t0 = System.nanoTime();
            Summary s;
            try {
                s = system.summarizer().summarize(new SummaryRequest(d.id(), d.title(), null, d.text(), budget));
            } catch (RuntimeException e) {
                failures++;
                latency[i] = (System.nanoTime() - t0) / 1e6;
                continue;
            }
            latency[i] = (System.nanoTime() - t0) / 1e6;
            String lsumText = String.join("\n", Sentences.of(s.text()));
            double b1 = 0;
            double b2 = 0;
            double bl = 0;
            double bls = 0;
            for (String ref : d.references()) {
                b1 = Math.max(b1, Rouge.n(1, ref, s.text()).f1());
                b2 = Math.max(b2, Rouge.n(2, ref, s.text()).f1());
                bl = Math.max(bl, Rouge.l(ref, s.text()).f1());
                bls = Math.max(bls, Rouge.lsum(String.join("\n", Sentences.of(ref)), lsumText).f1());
            }
            r1 += b1;
            r2 += b2;
            rl += bl;
            rlsum += bls;
            int tokens = counter.count(s.text());
            summaryTokens += tokens;
            compression += counter.count(d.text()) / (double) Math.max(1, tokens);
            calls += s.usage().llmCalls();
            in += s.usage().inputTokens();
            out += s.usage().outputTokens();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        int ok = Math.max(1, docs.size() - failures);
        return new SystemResult(system.name(), docs.size(), failures, 100 * r1 / ok, 100 * r2 / ok, 100 * rl / ok,
                100 * rlsum / ok, summaryTokens / ok, compression / ok, SystemResult.percentile(latency, 50),
                SystemResult.percentile(latency, 95), docs.size() / Math.max(seconds, 1e-9), calls, in, out,
                system.pricing().cost(in, out));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("Expected --name value pairs, got '" + args[i] + "'");
            }
            out.put(args[i].substring(2).toLowerCase(Locale.ROOT), args[i + 1]);
        }
        return out;
    }

    private static String require(Map<String, String> opts, String name) {
        String v = opts.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required (see README, Evaluation)");
        }
        return v;
    }
}
