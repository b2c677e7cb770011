package dev.precis.ingest;

import dev.precis.support.ExtractiveProfile;
import dev.precis.support.KafkaAndModel;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Versions of one document through the direct lane come out in input order too. */
@QuarkusTest
@WithTestResource(KafkaAndModel.class)
@TestProfile(ExtractiveProfile.class)
class SameKeyOrderDirectTest extends SameKeyOrderTest {
}
