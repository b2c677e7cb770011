package dev.precis.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.precis.support.ClassicOnlyKafka;
import dev.precis.support.KafkaTestClient;
import dev.precis.support.KafkaTestClient.ProducerRecordSpec;
import dev.precis.support.TestDocs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
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
import org.apache.kafka.common.GroupType;
import org.junit.jupiter.api.Test;

/**
 * The direct lane against a broker without the consumer group protocol: its first poll is refused,
 * it reads with the classic protocol instead, and every record still gets its one result.
 */
@QuarkusTest
@TestProfile(ClassicProtocolTest.ClassicOnly.class)
@WithTestResource(ClassicOnlyKafka.class)
class ClassicProtocolTest {

    /** Its own application start, so that only the classic-only broker is configured. */
    public static class ClassicOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("precis.lag-interval", "1s");
        }
    }

    @Test
    void fallsBackToTheClassicProtocolAndSummarizesEveryRecord() throws Exception {
        String run = "classic-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<ProducerRecordSpec> records = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            ids.add(run + i);
            records.add(new ProducerRecordSpec((run + i).getBytes(StandardCharsets.UTF_8),
                    TestDocs.english(4 + i % 7, i).getBytes(StandardCharsets.UTF_8), Map.of()));
        }
        String bootstrap = ClassicOnlyKafka.bootstrapServers();
        KafkaTestClient.send(bootstrap, "documents", records);
        var out = KafkaTestClient.readUntil(bootstrap, Set.of("summaries"), ids,
                seen -> seen.size() >= ids.size(), Duration.ofMinutes(2));
        assertEquals(ids.size(), out.size(), "one result per record");
        ObjectMapper json = new ObjectMapper();
        for (var r : out) {
            assertEquals("SUMMARIZED", json.readTree(r.value()).path("status").asText());
        }
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            var group = admin.describeConsumerGroups(List.of("precis")).all().get().get("precis");
            assertEquals(GroupType.CLASSIC, group.type(), "the lane's group, on the protocol the broker offers");
        }
    }
}
