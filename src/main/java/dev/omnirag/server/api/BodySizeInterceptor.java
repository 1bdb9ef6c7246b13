package dev.omnirag.server.api;

import dev.omnirag.server.config.HttpConfig;
import jakarta.inject.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.IOException;

/**
 * Counts the bytes of every request body Quarkus REST reads into an object (JSON) as they arrive, and stops at
 * {@code omnirag.http.max-json-body} with 413, whatever the protocol and whether or not the body declared a length
 * (HTTP/2 bodies may not). Uploads are counted by {@link BodyGuard}.
 */
@jakarta.ws.rs.ext.Provider
public class BodySizeInterceptor implements ReaderInterceptor {

    /** A provider: interceptors are built while the application starts, before runtime configuration exists. */
    private final Provider<HttpConfig> config;

    BodySizeInterceptor(Provider<HttpConfig> config) {
        this.config = config;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        long limit = config.get().maxJsonBody().asLongValue();
        context.setInputStream(
                new BoundedBody(context.getInputStream(), limit, "request body (omnirag.http.max-json-body)"));
        return context.proceed();
    }
}
