package dev.precis.devbroker;

import java.util.concurrent.CountDownLatch;

/**
 * Runs Apache Kafka's own broker (single node, KRaft) from the worker's jars, for machines without
 * Docker: {@code deploy/kafka-local.sh [port]}. Its data lives in a temporary directory.
 */
public final class KafkaLocal {

    private KafkaLocal() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9092;
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(port, 3);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-local-stop"));
        System.out.println("Kafka broker ready on " + broker.bootstrapServers() + " (Ctrl-C stops it; data is temporary)");
        new CountDownLatch(1).await();
    }
}
