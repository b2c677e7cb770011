package dev.precis.llm;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Passes the rate-limit headers of every model response to {@link ProviderSignals}. Registered for
 * all REST clients, which includes the ones quarkus-langchain4j builds for its providers; the
 * exceptions those clients raise carry only the status and body, so the headers would be lost.
 */
@Provider
public class ResponseHeaderFilter implements ClientResponseFilter {

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) {
        ProviderSignals.shared().observe(request.getUri(), response.getStatus(), response.getHeaders()::getFirst);
    }
}
