package dev.precis.stores;

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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
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
        this.member = System.getenv().getOrDefault("HOSTNAME", "pod") + "-" + UUID.randomUUID().toString().substring(0, 8);
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
        try (KafkaConsumer<String, byte[]> consumer = KafkaBudgetTopic.consumer(kafka, member)) {
            this.consumer = consumer;
            producer = KafkaBudgetTopic.producer(kafka, member, interval);
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
            Map<String, Long> gifts = decided.containsKey(e.getKey()) ? BudgetSplit.gifts(pods(e.getKey()), member,
                    e.getValue()) : Map.of();
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

    /** The last report of every pod heard on {@code model}, this one's included. */
    private List<Heard> pods(String model) {
        String prefix = group + "|" + model + "|";
        List<Heard> pods = new ArrayList<>();
        heard.forEach((k, h) -> {
            if (k.startsWith(prefix)) {
                pods.add(h);
            }
        });
        return pods;
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
            heard.put(key, Heard.from(v));
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
            List<Heard> pods = pods(model);
            List<GroupShares.Report> reports = pods.stream().map(Heard::report).toList();
            double share = GroupShares.shareOf(member, reports, limit);
            gateway.share(share, decided.containsKey(model) ? 0 : BudgetSplit.firstHeld(member, pods, reports, limit,
                    share, parts -> started.put(model, parts)));
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
