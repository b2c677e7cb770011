package dev.precis.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness of the direct lane: DOWN, with Kafka's words, while it cannot read or write. */
@Readiness
@ApplicationScoped
public class DirectLaneHealth implements HealthCheck {

    private final DirectLane lane;

    public DirectLaneHealth(DirectLane lane) {
        this.lane = lane;
    }

    @Override
    public HealthCheckResponse call() {
        String problem = lane.problem();
        return HealthCheckResponse.named("direct lane").status(problem == null)
                .withData("detail", problem == null ? "reading and writing" : problem).build();
    }
}
