package dev.precis.ops.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the models: DOWN while a provider refuses the account (bad key, no quota), when the
 * worker holds that model's documents; UP but marked when one throttles or fails transiently.
 */
@Readiness
@ApplicationScoped
public class ModelHealthCheck implements HealthCheck {

    private final ModelState models;

    public ModelHealthCheck(ModelState models) {
        this.models = models;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("model endpoint").status(models.usable());
        models.all().forEach((name, seen) -> response
                .withData(name + ".state", seen.state().name().toLowerCase(Locale.ROOT))
                .withData(name + ".since", seen.at().toString())
                .withData(name + ".detail", seen.detail()));
        models.windows().forEach((name, window) -> response
                .withData(name + ".context-window", window.currentWindow())
                .withData(name + ".window", window.describe()));
        return response.build();
    }
}
