package dev.precis.ops;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the model endpoint: DOWN while it refuses us (bad key, no quota, unknown model), UP
 * but marked when it throttles or fails transiently, which retries absorb.
 */
@Readiness
@ApplicationScoped
public class ModelHealthCheck implements HealthCheck {

    private final ModelState model;

    public ModelHealthCheck(ModelState model) {
        this.model = model;
    }

    @Override
    public HealthCheckResponse call() {
        ModelState.State state = model.state();
        return HealthCheckResponse.named("model endpoint")
                .status(state != ModelState.State.REFUSED)
                .withData("state", state.name().toLowerCase(java.util.Locale.ROOT))
                .withData("since", model.since().toString())
                .withData("detail", model.detail())
                .build();
    }
}
