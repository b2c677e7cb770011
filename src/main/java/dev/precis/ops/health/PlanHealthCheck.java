package dev.precis.ops.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** The startup plan in the readiness data; always UP (a plan that cannot run stops the startup). */
@Readiness
@ApplicationScoped
public class PlanHealthCheck implements HealthCheck {

    private final WorkerPlan plan;

    public PlanHealthCheck(WorkerPlan plan) {
        this.plan = plan;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("plan").up();
        plan.lines().forEach(response::withData);
        return response.build();
    }
}
