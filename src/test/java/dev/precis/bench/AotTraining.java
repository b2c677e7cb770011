package dev.precis.bench;

import dev.precis.devbroker.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Makes the worker's AOT cache ({@code target/quarkus-app/precis.aot}, JDK 25 or newer): runs the
 * packaged worker once, with {@code -XX:AOTCacheOutput}, on a backlog of generated documents in an
 * in-process broker. The JVM writes the classes it loaded, parsed and linked into the cache when
 * the worker stops; {@code ./precis worker} starts with it. Beside it, {@code precis.aot.jdk} names
 * the JDK it was made with, since a cache serves that JDK only. Run by {@code ./mvnw package} (profile {@code aot}; {@code -Dprecis.aot.skip} skips it).
 */
public final class AotTraining {

    // Words of English prose that repeat, among made-up ones that do not: the token counter's
    // word cache then both hits and misses, as it does on real text.
    private static final String[] COMMON = ("the of and to in a is that for it as was with be by on not he this are "
            + "or his from at which but have an they you were her she there been one all we their has would "
            + "when who will more no if out so said what up its about than into them can only other new some "
            + "could time these two may then do first any my now such like our over man me even most made "
            + "after also did many before must through back years where much your way well down should because "
            + "each just those people how too little state good very make world still own see men work long").split(" ");

    private AotTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath();
        Path cache = jar.resolveSibling("precis.aot");
        Path jdk = jar.resolveSibling("precis.aot.jdk");
        int docs = Integer.getInteger("aot.docs", 20_000);
        Files.deleteIfExists(cache);
        Files.deleteIfExists(jdk);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, 3)) {
            String in = "aot-training-in";
            ExtractiveBenchmark.createTopics(broker.bootstrapServers(), 3, in, in + "-out");
            ExtractiveBenchmark.fill(broker.bootstrapServers(), in, docs, corpus());
            WorkerRun run = WorkerRun.run(broker.bootstrapServers(), in, in + "-out", docs, WorkerRun.java(
                    List.of("-Xmx256m", "-XX:MaxNewSize=64m", "-XX:AOTCacheOutput=" + cache,
                            // Classes only, no method profiles: replayed, the profiles had the JIT
                            // compile more at once, which cost more than it saved over 20,000 documents.
                            "-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTRecordTraining"), jar));
            if (run.results() < docs || !Files.exists(cache) || Files.size(cache) == 0) {
                throw new IllegalStateException("No AOT cache was written (" + run.results() + " of " + docs
                        + " results); the worker's log is named above. -Dprecis.aot.skip builds without it.");
            }
        }
        Path home = Path.of(System.getProperty("java.home")).toRealPath();
        String version = Files.readAllLines(home.resolve("release")).stream()
                .filter(l -> l.startsWith("JAVA_RUNTIME_VERSION=")).findFirst().orElse("");
        Files.writeString(jdk, home + " " + version);
        System.out.printf("AOT cache: %s (%,d bytes) for the JDK at %s%n", cache, Files.size(cache), home);
    }

    /** About 1 KB of text each, some as JSON documents, a few in Japanese and a few long ones. */
    private static List<byte[]> corpus() {
        Random random = new Random(42);
        String[] rare = new String[5_000];
        for (int i = 0; i < rare.length; i++) {
            rare[i] = madeUp(random);
        }
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            String text = prose(random, rare, i % 50 == 0 ? 120 : 6 + random.nextInt(8));
            if (i % 40 == 0) {
                text = "委員会は今年の予算を見直しました。研究チームは新しい測定方法を提案しました。" + text;
            }
            String value = i % 3 == 0
                    ? "{\"id\":\"training-" + i + "\",\"title\":\"Training " + i + "\",\"text\":\""
                            + text.replace("\n", "\\n") + "\",\"options\":{\"maxSummaryTokens\":" + (40 + i % 80) + "}}"
                    : text;
            out.add(value.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String prose(Random random, String[] rare, int sentences) {
        StringBuilder sb = new StringBuilder();
        for (int s = 0; s < sentences; s++) {
            int words = 8 + random.nextInt(18);
            for (int w = 0; w < words; w++) {
                // The rarer words: some of them often, most of them seldom.
                String word = random.nextInt(3) > 0 ? COMMON[random.nextInt(COMMON.length)]
                        : rare[(int) (rare.length * Math.pow(random.nextDouble(), 3))];
                sb.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
                sb.append(w == words - 1 ? ". " : random.nextInt(12) == 0 ? ", " : " ");
            }
            if (s % 5 == 4) {
                sb.append("\n\n");
            }
        }
        return sb.toString().strip();
    }

    private static String madeUp(Random random) {
        int length = 3 + random.nextInt(10);
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append((char) ('a' + random.nextInt(26)));
        }
        return random.nextInt(20) == 0 ? sb + Integer.toString(random.nextInt(2030)) : sb.toString();
    }
}
