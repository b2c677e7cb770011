package dev.precis.partials;

import dev.precis.config.KafkaSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.llm.BudgetGroup;
import dev.precis.llm.GroupShares;
import dev.precis.llm.ModelGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * One provider budget for the pods of a consumer group, agreed through a topic: each round every
 * pod writes, per model, what its budget was charged and whether its calls waited (key
 * {@code group|model|member}), reads what the others wrote, and sets its share of each limit from
 * the split every pod computes alike ({@link GroupShares}). A pod that stops says so with a
 * tombstone; one that dies falls silent and is left out after {@value #SILENT_ROUNDS} rounds.
 */
public final class KafkaBudgetShares implements BudgetGroup, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaBudgetShares.class);
    static final int SILENT_ROUNDS = 4;

    /**
     * One pod's last report, the parts of the group's burst it started the pods it counted with (when
     * it started them), and when it was heard (this JVM's clock, so that clocks need not agree).
     */
    private record Heard(GroupShares.Report report, Map<String, Double> startedWith, long atNanos) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final String topic;
    private final String group;
    private final String member;
    private final Duration interval;
    private final Map<String, Object> kafka;
    private final Map<String, ModelGateway> gateways = new ConcurrentHashMap<>();
    private final Map<String, State> states = new ConcurrentHashMap<>();
    /** Read and written by the round's thread only. */
    private final Map<String, Heard> heard = new HashMap<>();
    private final Map<String, Boolean> decided = new HashMap<>();
    private final Map<String, RecentRounds> recent = new HashMap<>();
    /** Per model: tokens other pods gave this one before its first split, added once it is made. */
    private final Map<String, Long> pendingGifts = new HashMap<>();
    /** Per model: the parts of the burst this pod started itself and the pods it counted with. */
    private final Map<String, Map<String, Double>> started = new HashMap<>();
    private final Thread rounds;
    private volatile boolean running = true;
    private volatile KafkaProducer<String, byte[]> producer;
    private volatile KafkaConsumer<String, byte[]> consumer;
    /** Per model: this pod's reports sent, and whether its second one has come back (the split may start). */
    private final Map<String, Integer> sent = new HashMap<>();
    private final java.util.Set<String> heardBack = new java.util.HashSet<>();
    private int round;

    public KafkaBudgetShares(Map<String, Object> kafkaConfig, String topic, String group, Duration interval) {
        this.kafka = kafkaConfig;
        this.topic = topic;
        this.group = group;
        this.interval = interval;
        String host = System.getenv().getOrDefault("HOSTNAME", "pod");
        this.member = host + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.rounds = Thread.ofPlatform().daemon().name("precis-budget-shares").unstarted(this::run);
    }

    /** Shares {@code gateway}'s budgets with the group; its calls wait for the first split (a few rounds at most). */
    @Override
    public void join(String model, ModelGateway gateway) {
        gateway.holdForShare(interval.multipliedBy(SILENT_ROUNDS * 2L));
        gateways.put(model, gateway);
        states.put(model, State.ALONE);
    }

    /** Starts the rounds. */
    public void start() {
        rounds.start();
    }

    @Override
    public State state(String model) {
        return states.getOrDefault(model, State.ALONE);
    }

    private void run() {
        KafkaBudgetTopic.create(KafkaSettings.only(kafka, AdminClientConfig.configNames()), topic);
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            this.consumer = consumer;
            producer = producer();
            // Only what pods say from now on matters: every live pod speaks again within a round.
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
            long lastReport = System.nanoTime();
            while (running) {
                long roundStart = System.nanoTime();
                report(roundStart - lastReport);
                round++;
                lastReport = roundStart;
                long roundEnd = roundStart + interval.toNanos();
                while (running && System.nanoTime() < roundEnd) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofNanos(
                            Math.max(1_000_000, roundEnd - System.nanoTime())))) {
                        hear(r.key(), r.value());
                    }
                }
                split();
                if (round == SILENT_ROUNDS * 2 && heardBack.size() < sent.size()) {
                    LOG.warnf("Budget shares: this pod's reports do not come back from %s after %d rounds; its models "
                            + "spend their whole limits until they do (can the topic be written and read?)", topic, round);
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // close() ends the rounds.
        } catch (RuntimeException e) {
            LOG.warnf("Budget shares stopped (%s); each model keeps the share it had", e.toString());
        }
    }

    private void report(long sinceNanos) {
        for (var e : gateways.entrySet()) {
            GroupShares.Spending spent = e.getValue().spending();
            if (spent == null) {
                continue;
            }
            int n = sent.merge(e.getKey(), 1, Integer::sum) - 1;
            GroupShares.Report mine = recent.computeIfAbsent(e.getKey(), m -> new RecentRounds())
                    .add(member, spent.amount() * 60e9 / Math.max(1, sinceNanos), spent.waited());
            String key = group + "|" + e.getKey() + "|" + member;
            Map<String, Double> startedWith = started.getOrDefault(e.getKey(), Map.of());
            heard.put(key, new Heard(mine, startedWith, System.nanoTime()));
            Map<String, Long> gifts = decided.containsKey(e.getKey()) ? gifts(e.getKey(), e.getValue()) : Map.of();
            Map<String, Object> value = Map.of("member", member, "perMinute", mine.perMinute(), "waited", mine.waited(),
                    "limit", e.getValue().groupPerMinute(), "round", n, "startedWith", startedWith, "gifts", gifts);
            try {
                producer.send(new ProducerRecord<>(topic, key, json.writeValueAsBytes(value)), (m, failure) -> {
                    if (failure != null) {
                        LOG.debugf("Budget report not written: %s", failure.toString());
                    }
                });
            } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException failure) {
                LOG.debugf("Budget report not written: %s", failure.toString());
            }
        }
    }

    /**
     * Tokens this pod holds above its share (it held them when its share shrank, or was given them)
     * go to the pods whose calls wait, in equal parts: taken out of this pod's bucket before they
     * are offered, so that they are never spent twice, and added once by each pod when it reads
     * this report. A pod that held the whole bucket when others joined then does not sit on it.
     */
    private Map<String, Long> gifts(String model, ModelGateway gateway) {
        String prefix = group + "|" + model + "|";
        List<String> waiting = new ArrayList<>();
        heard.forEach((k, h) -> {
            if (k.startsWith(prefix) && !h.report().member().equals(member) && h.report().waited()) {
                waiting.add(h.report().member());
            }
        });
        if (waiting.isEmpty()) {
            return Map.of();
        }
        long excess = gateway.takeExcess();
        if (excess < waiting.size()) {
            gateway.receive(excess);
            return Map.of();
        }
        Map<String, Long> gifts = new HashMap<>();
        waiting.forEach(m -> gifts.put(m, excess / waiting.size()));
        return gifts;
    }

    private void hear(String key, byte[] value) {
        if (key == null || !key.startsWith(group + "|")) {
            return;
        }
        if (value == null) {
            heard.remove(key);
            return;
        }
        try {
            JsonNode v = json.readTree(value);
            if (v.path("member").asText().equals(member) && v.path("round").asInt() >= 1) {
                heardBack.add(key.substring(group.length() + 1, key.length() - member.length() - 1));
            }
            Map<String, Double> startedWith = new HashMap<>();
            v.path("startedWith").properties().forEach(p -> startedWith.put(p.getKey(), p.getValue().asDouble()));
            long gift = v.path("gifts").path(member).asLong(0);
            if (gift > 0 && !v.path("member").asText().equals(member)) {
                String model = key.substring(group.length() + 1, key.lastIndexOf('|'));
                ModelGateway gateway = gateways.get(model);
                if (gateway != null && decided.containsKey(model)) {
                    gateway.receive(gift);
                } else {
                    pendingGifts.merge(model, gift, Long::sum);
                }
            }
            heard.put(key, new Heard(new GroupShares.Report(v.path("member").asText(), v.path("perMinute").asDouble(),
                    v.path("waited").asBoolean()), startedWith, System.nanoTime()));
        } catch (java.io.IOException e) {
            LOG.debugf("Budget report %s is not JSON; ignored", key);
        }
    }

    private void split() {
        long silentAfter = System.nanoTime() - interval.toNanos() * SILENT_ROUNDS;
        heard.values().removeIf(h -> h.atNanos() < silentAfter);
        for (var e : gateways.entrySet()) {
            String model = e.getKey();
            ModelGateway gateway = e.getValue();
            // A model's first split waits until this pod has read back its own second report on it: every
            // running pod's reports of the round before were written earlier, so all of them have been heard.
            if (!heardBack.contains(model)) {
                continue;
            }
            long limit = gateway.groupPerMinute();
            if (limit <= 0) {
                gateway.share(1.0, 1.0);
                continue;
            }
            String prefix = group + "|" + model + "|";
            List<Heard> pods = new ArrayList<>();
            heard.forEach((k, h) -> {
                if (k.startsWith(prefix)) {
                    pods.add(h);
                }
            });
            List<GroupShares.Report> reports = pods.stream().map(Heard::report).toList();
            double share = GroupShares.shareOf(member, reports, limit);
            gateway.share(share, decided.containsKey(model) ? 0 : firstHeld(model, pods, reports, limit, share));
            Long given = pendingGifts.remove(model);
            if (given != null) {
                gateway.receive(given);
            }
            double spending = reports.stream().mapToDouble(GroupShares.Report::perMinute).sum();
            State before = states.put(model, new State(share, Math.max(1, reports.size()), spending));
            LOG.debugf("Model %s: reports %s; share %.3f", model, reports, share);
            if (decided.put(model, true) == null || before == null || before.members() != Math.max(1, reports.size())) {
                LOG.infof("Model %s: %d pods share its budget of %d/min; this pod's share %.2f", model,
                        Math.max(1, reports.size()), limit, share);
            }
        }
    }

    /**
     * What this pod's buckets start with, as a part of the group's burst. Pods that start together
     * split the provider's full bucket: the first to decide gives each pod it counts its share and
     * says so, and a pod it counted takes the part it was given. A pod joining a group that is
     * spending starts empty, since the provider's bucket is being drained by the others.
     */
    private double firstHeld(String model, List<Heard> pods, List<GroupShares.Report> reports, long limit,
            double share) {
        double given = pods.stream().filter(h -> !h.report().member().equals(member))
                .mapToDouble(h -> h.startedWith().getOrDefault(member, -1.0)).max().orElse(-1);
        if (given >= 0) {
            return given;
        }
        if (reports.stream().anyMatch(r -> !r.member().equals(member) && r.perMinute() > 0)) {
            return 0;
        }
        Map<String, Double> parts = new HashMap<>();
        for (GroupShares.Report r : reports) {
            parts.put(r.member(), GroupShares.shareOf(r.member(), reports, limit));
        }
        started.put(model, parts);
        return share;
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Map<String, Object> props = KafkaSettings.only(kafka, ConsumerConfig.configNames());
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "precis-budget-shares-" + member);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<String, byte[]> producer() {
        Map<String, Object> props = KafkaSettings.only(kafka, ProducerConfig.configNames());
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        // A report that cannot leave now is stale by the next round: never hold the round for it.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.max(2000, interval.toMillis() * 3)));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.max(1000, interval.toMillis() * 2)));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "precis-budget-shares-" + member);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** Leaves the group's split at once: the other pods take this pod's share in their next round. */
    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            rounds.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        KafkaProducer<String, byte[]> p = producer;
        if (p != null) {
            for (String model : gateways.keySet()) {
                p.send(new ProducerRecord<>(topic, group + "|" + model + "|" + member, null));
            }
            p.close(Duration.ofSeconds(3));
        }
    }
}
