package dev.precis.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.chunking.JtokkitTokenCounter;
import dev.precis.ingest.DocumentParser;
import dev.precis.ingest.ParseResult;
import dev.precis.llm.Pricing;
import dev.precis.pipeline.Document;
import dev.precis.pipeline.Outcome;
import dev.precis.pipeline.Pipeline;
import dev.precis.publish.IdempotencyKey;
import dev.precis.publish.OutgoingRecords;
import dev.precis.publish.SummaryRecord;
import dev.precis.summarize.ExtractiveSummarizer;
import dev.precis.summarize.StageTimer;
import dev.precis.summarize.StrategyChoice;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public final class CoreProbe {
    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<byte[]> docs = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            List<String> s = new ArrayList<>();
            json.readTree(line).path("source").forEach(n -> s.add(n.asText()));
            if (!s.isEmpty()) docs.add(String.join(" ", s).getBytes(StandardCharsets.UTF_8));
        }
        JtokkitTokenCounter counter = JtokkitTokenCounter.forEncoding("o200k_base");
        Pipeline p = new Pipeline(new ExtractiveSummarizer(counter), Optional.empty(), counter, StrategyChoice.values()[0], StageTimer.NONE);
        DocumentParser parser = new DocumentParser(1 << 20, 128, 2048);
        OutgoingRecords out = new OutgoingRecords(json);
        String stage = args.length > 1 ? args[1] : "all";
        for (int round = 0; round < 30; round++) {
            long t0 = System.nanoTime();
            long bytes = 0;
            for (int i = 0; i < docs.size(); i++) {
                ParseResult r = parser.parse(("doc-" + i).getBytes(), docs.get(i));
                Document d = ((ParseResult.Accepted) r).document();
                if (stage.equals("parse")) continue;
                Outcome o = p.process(d);
                if (stage.equals("summarize")) continue;
                SummaryRecord rec = SummaryRecord.of(d.id(), IdempotencyKey.of(d, "extractive"), o, Pricing.FREE, 1,
                        new SummaryRecord.Source("t", 0, i), d.metadataJson());
                bytes += out.value(rec).length;
            }
            long t = System.nanoTime() - t0;
            System.out.printf("round %d: %d docs, %.1f us/doc, out %d bytes/doc%n", round, docs.size(), t / 1e3 / docs.size(), bytes / docs.size());
        }
    }
}
