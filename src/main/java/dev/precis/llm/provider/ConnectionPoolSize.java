package dev.precis.llm.provider;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.rest.client.RestClientBuilder;
import org.eclipse.microprofile.rest.client.spi.RestClientListener;

/**
 * Sizes the connection pool of REST clients built in code, such as the ones quarkus-langchain4j
 * builds for its providers, which otherwise keep the default of 50 connections and so would cap a
 * model below its call ceiling: the pool is {@code quarkus.rest-client.connection-pool-size}, raised
 * to the largest call ceiling configured for any model, so that raising one setting is enough.
 */
public class ConnectionPoolSize implements RestClientListener {

    static final String PROPERTY = "io.quarkus.rest.client.connection-pool-size";

    @Override
    public void onNewClient(Class<?> serviceInterface, RestClientBuilder builder) {
        if (builder.getConfiguration().getProperty(PROPERTY) == null) {
            builder.property(PROPERTY, size(ConfigProvider.getConfig()));
        }
    }

    /** The pool every model client gets. */
    static int size(Config config) {
        int size = config.getOptionalValue("quarkus.rest-client.connection-pool-size", Integer.class).orElse(50);
        size = Math.max(size, config.getOptionalValue("precis.in-flight", Integer.class).orElse(0));
        for (String name : config.getPropertyNames()) {
            if ((name.startsWith("precis.models.") || name.startsWith("precis.model.")) && name.endsWith(".max-concurrency")) {
                size = Math.max(size, config.getOptionalValue(name, Integer.class).orElse(0));
            }
        }
        return size;
    }
}
