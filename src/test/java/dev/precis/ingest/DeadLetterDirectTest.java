package dev.precis.ingest;

import dev.precis.support.ExtractiveProfile;
import dev.precis.support.KafkaAndModel;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same bad records through the direct lane (the extractive default): the same dead letters. */
@QuarkusTest
@WithTestResource(KafkaAndModel.class)
@TestProfile(ExtractiveProfile.class)
class DeadLetterDirectTest extends DeadLetterTest {
}
