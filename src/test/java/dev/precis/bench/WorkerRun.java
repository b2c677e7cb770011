package dev.precis.bench;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The packaged worker as a separate process with nothing set but the broker and the topics, so it
 * runs the built-in extractive summarizer with its defaults; its RSS is sampled as results arrive.
 */
record WorkerRun(Throughput throughput, long firstResultNanos, List<long[]> rss, int results, int summarized,
        double cpuSeconds) {

    /** The command that starts {@code jar} with this JVM's java and {@code jvmArgs}. */
    static List<String> java(List<String> jvmArgs, Path jar) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString()));
        return command;
    }

    /** The worker started by {@code command} (this JVM's JDK as its JAVA_HOME), until all {@code docs} results are in. */
    static WorkerRun run(String bootstrap, String in, String out, int docs, List<String> command) throws Exception {
        Path log = Files.createTempFile("precis-bench", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        pb.environment().put("MP_MESSAGING_INCOMING_DOCUMENTS_TOPIC", in);
        pb.environment().put("MP_MESSAGING_OUTGOING_SUMMARIES_TOPIC", out);
        pb.environment().put("MP_MESSAGING_INCOMING_DOCUMENTS_GROUP_ID", "bench-" + UUID.randomUUID());
        pb.environment().put("QUARKUS_HTTP_PORT", "0");
        // Extra settings to compare, as NAME=value pairs separated by spaces.
        for (String pair : System.getProperty("bench.env", "").trim().split("\\s+")) {
            if (pair.contains("=")) {
                pb.environment().put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        System.out.println("Worker: " + String.join(" ", command) + "; log " + log);
        List<long[]> rss = new ArrayList<>();
        double[] cpu = new double[1];
        try (OutputReader reader = new OutputReader(bootstrap, out, PassThrough.partitionsOf(bootstrap, in))) {
            long start = System.nanoTime();
            Process worker = pb.start();
            try {
                Path status = Path.of("/proc/" + worker.pid() + "/status");
                await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    if (!worker.isAlive()) {
                        throw new IllegalStateException("The worker stopped; see " + log);
                    }
                    rss.add(new long[] {reader.count(), rssMb(status)});
                    return reader.count() >= docs;
                });
                cpu[0] = cpuSeconds(worker.pid());
                // A little while idle after the backlog: does the memory stay where it was?
                await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
                rss.add(new long[] {reader.count(), rssMb(status)});
            } finally {
                worker.destroy();
                worker.waitFor();
            }
            return new WorkerRun(reader.throughput(), reader.firstNanos() - start, rss, reader.count(),
                    reader.summarized(), cpu[0]);
        }
    }

    private static long rssMb(Path status) throws Exception {
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return 0;
    }

    /** User and system CPU time of the process so far (clock ticks of 10 ms, as Linux reports them). */
    static double cpuSeconds(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    long maxRssMb() {
        return rss.stream().mapToLong(s -> s[1]).max().orElse(0);
    }

    /** RSS when 10%, 25%, 50%, 75% and all of the results were in, then after 3 s idle. */
    String rssByProgress() {
        StringBuilder sb = new StringBuilder();
        for (int pct : new int[] {10, 25, 50, 75, 100}) {
            long at = (long) results * pct / 100;
            rss.stream().filter(s -> s[0] >= at).findFirst()
                    .ifPresent(s -> sb.append(String.format("%d%%: %d, ", pct, s[1])));
        }
        return sb.append("idle: ").append(rss.getLast()[1]).toString();
    }
}
