package dev.omnirag.server.api;

import dev.omnirag.server.config.AuthConfig;
import dev.omnirag.server.security.CurrentPrincipal;
import dev.omnirag.server.security.Principal;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * One key cannot take every search and answer thread: a key has at most {@code omnirag.auth.max-concurrent-queries}
 * searches and asks running at once (an answer stream counts until it ends); the next one gets 429 with
 * {@code Retry-After}, while other keys go on. With authentication off there are no keys and no limit.
 */
public class QuerySlots {

    private static final Pattern QUERY = Pattern.compile("^/v1/collections/[^/]+/(search|ask)/?$");

    private final AuthConfig config;
    private final CurrentPrincipal current;
    private final KeySlots running;

    QuerySlots(AuthConfig config, CurrentPrincipal current) {
        this.config = config;
        this.current = current;
        this.running = new KeySlots(config.maxConcurrentQueries(), "omnirag.auth.max-concurrent-queries");
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION + 50)
    public Response admit(RoutingContext rc) {
        if (!config.enabled() || !QUERY.matcher(rc.request().path()).matches()) {
            return null;
        }
        Principal caller = current.get();
        UUID key = caller == null ? null : caller.keyId();
        if (key == null) {
            return null;
        }
        if (!running.tryAcquire(key)) {
            return Response.fromResponse(Problem.response(
                            429,
                            "key '" + caller.name() + "' already has "
                                    + running.max()
                                    + " searches or answers running (omnirag.auth.max-concurrent-queries); "
                                    + "retry when one has finished",
                            rc.request().path()))
                    .header("Retry-After", "1")
                    .build();
        }
        AtomicBoolean released = new AtomicBoolean();
        rc.addEndHandler(done -> {
            if (released.compareAndSet(false, true)) {
                running.release(key);
            }
        });
        return null;
    }
}
