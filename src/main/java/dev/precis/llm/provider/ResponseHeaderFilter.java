package dev.precis.llm.provider;

import dev.precis.llm.ProviderSignals;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Passes the rate-limit headers of every model response to the {@link ProviderSignals} of the call
 * that made it. Registered for all REST clients, which includes the ones quarkus-langchain4j builds
 * for its providers, whose exceptions carry only the status and body. The request side runs on the
 * caller's thread and ties the request to its listener; the response may arrive on another thread.
 */
@Provider
public class ResponseHeaderFilter implements ClientRequestFilter, ClientResponseFilter {

    private static final String LISTENER = ProviderSignals.class.getName();

    @Override
    public void filter(ClientRequestContext request) {
        ProviderSignals listening = ProviderSignals.current();
        if (listening != null) {
            request.setProperty(LISTENER, listening);
        }
    }

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) {
        if (request.getProperty(LISTENER) instanceof ProviderSignals listening) {
            listening.observe(response.getStatus(), response.getHeaders()::getFirst);
        }
    }
}
