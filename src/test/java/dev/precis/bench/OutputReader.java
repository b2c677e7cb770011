package dev.precis.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads an output topic from its start on a thread of its own and notes when records arrive, so
 * that the pass-through and the worker are timed the same way: by the records they wrote.
 */
final class OutputReader implements AutoCloseable {

    private static final byte[] SUMMARIZED = "\"status\":\"SUMMARIZED\"".getBytes(StandardCharsets.UTF_8);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicInteger summarized = new AtomicInteger();
    private final AtomicLong first = new AtomicLong();
    private final AtomicLong last = new AtomicLong();
    private volatile boolean stop;

    OutputReader(String bootstrap, String topic, int partitions) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> all = IntStream.range(0, partitions)
                .mapToObj(p -> new TopicPartition(topic, p)).toList();
        consumer.assign(all);
        consumer.seekToBeginning(all);
        // Resolve the start positions now, so that the first poll of the run does not pay for it.
        all.forEach(consumer::position);
        thread = new Thread(this::loop, "bench-reader-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (!stop) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                long now = System.nanoTime();
                if (count.getAndIncrement() == 0) {
                    first.set(now);
                }
                last.set(now);
                if (r.value() != null && contains(r.value(), SUMMARIZED)) {
                    summarized.incrementAndGet();
                }
            }
        }
        consumer.close();
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    int count() {
        return count.get();
    }

    int summarized() {
        return summarized.get();
    }

    /** Nanos of the first record's arrival, 0 while none has arrived. */
    long firstNanos() {
        return count.get() == 0 ? 0 : first.get();
    }

    Throughput throughput() {
        return new Throughput(count.get(), first.get(), last.get());
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join();
    }
}
