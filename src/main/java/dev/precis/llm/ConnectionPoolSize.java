package dev.precis.llm;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.rest.client.RestClientBuilder;
import org.eclipse.microprofile.rest.client.spi.RestClientListener;

/**
 * Applies {@code quarkus.rest-client.connection-pool-size} to REST clients built in code, such as
 * the ones quarkus-langchain4j builds for its providers, which otherwise keep the default of 50
 * connections and so cap a model at 50 calls in flight whatever precis.llm.max-concurrency says.
 */
public class ConnectionPoolSize implements RestClientListener {

    static final String PROPERTY = "io.quarkus.rest.client.connection-pool-size";

    @Override
    public void onNewClient(Class<?> serviceInterface, RestClientBuilder builder) {
        if (builder.getConfiguration().getProperty(PROPERTY) == null) {
            ConfigProvider.getConfig().getOptionalValue("quarkus.rest-client.connection-pool-size", Integer.class)
                    .ifPresent(size -> builder.property(PROPERTY, size));
        }
    }
}
