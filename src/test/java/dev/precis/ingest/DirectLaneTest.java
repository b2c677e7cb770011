package dev.precis.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.support.ExtractiveProfile;
import dev.precis.support.KafkaAndModel;
import dev.precis.support.KafkaTestClient;
import dev.precis.support.KafkaTestClient.ProducerRecordSpec;
import dev.precis.support.TestDocs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * With the extractive default the engine reads the input: every record
 * gets its one result, readiness says so, and the group's committed offsets reach the end of the
 * input once the results are written (never before: a result not in the output topic has its
 * record's offset uncommitted).
 */
@QuarkusTest
@WithTestResource(KafkaAndModel.class)
@TestProfile(ExtractiveProfile.class)
class DirectLaneTest {

    @Inject
    DirectLane lane;

    @TestHTTPResource("/q/health/ready")
    URL ready;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void readsEveryRecordWritesItsResultAndCommitsPastItOnlyAfterwards() throws Exception {
        assertEquals(null, lane.problem(), "the engine reads and writes");
        String run = "direct-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<ProducerRecordSpec> records = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            String id = run + i;
            ids.add(id);
            records.add(new ProducerRecordSpec(id.getBytes(StandardCharsets.UTF_8),
                    TestDocs.english(i % 50 == 0 ? 900 : 4 + i % 9, i).getBytes(StandardCharsets.UTF_8), Map.of()));
        }
        KafkaTestClient.send("documents", records);

        List<ConsumerRecord<byte[], byte[]>> out = KafkaTestClient.readUntil(Set.of("summaries"), ids,
                seen -> seen.size() >= ids.size(), Duration.ofMinutes(2));
        assertEquals(ids.size(), out.size(), "one result per record");
        Set<String> seen = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : out) {
            JsonNode v = json.readTree(r.value());
            assertEquals("SUMMARIZED", v.path("status").asText(), v.toString());
            assertEquals("extractive", v.path("model").asText());
            assertTrue(seen.add(v.path("id").asText()), "a second result for " + v.path("id"));
            assertTrue(r.headers().lastHeader(dev.precis.publish.Headers.IDEMPOTENCY_KEY) != null, "result headers");
        }
        await("the group committed past every written record").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).until(this::committedToTheEnd);
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaAndModel.bootstrapServers()))) {
            var group = admin.describeConsumerGroups(List.of("precis")).all().get().get("precis");
            assertEquals(GroupType.CONSUMER, group.type(), "a broker that offers it: the consumer group protocol");
        }
        String health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(ready.toURI()).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(health.contains("direct lane") && health.contains("reading and writing"), health);
    }

    private boolean committedToTheEnd() throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaAndModel.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("precis")
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            admin.describeTopics(List.of("documents")).allTopicNames().get().get("documents").partitions()
                    .forEach(p -> latest.put(new TopicPartition("documents", p.partition()), OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get();
            for (var e : ends.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                if (e.getValue().offset() > 0 && (c == null || c.offset() < e.getValue().offset())) {
                    return false;
                }
            }
            return true;
        }
    }
}
