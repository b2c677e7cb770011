package dev.precis.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The worker's out-of-the-box summarizer (the test resource's default is the fake model). */
public class ExtractiveProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("precis.summarizer", "extractive");
    }
}
