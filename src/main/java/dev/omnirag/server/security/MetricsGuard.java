package dev.omnirag.server.security;

import dev.omnirag.server.api.Problem;
import dev.omnirag.server.config.AuthConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code /q/metrics} needs a global admin key when authentication is on (Prometheus sends one with
 * {@code authorization: {credentials_file: ...}}): metrics name collections' traffic and the service's internals.
 * {@code /q/health} stays open for load balancers and orchestrators.
 */
@ApplicationScoped
public class MetricsGuard {

    private final AuthConfig config;
    private final Authenticator authenticator;

    MetricsGuard(AuthConfig config, Authenticator authenticator) {
        this.config = config;
        this.authenticator = authenticator;
    }

    void install(@Observes Router router) {
        router.route("/q/metrics*").order(Integer.MIN_VALUE + 1).handler(this::check);
    }

    private void check(RoutingContext rc) {
        if (!config.enabled()) {
            rc.next();
            return;
        }
        String header = rc.request().getHeader("Authorization");
        String[] parts = header == null ? new String[0] : header.strip().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer")) {
            fail(rc, 401, "metrics need a global admin key: send Authorization: Bearer <key>");
            return;
        }
        authenticator
                .authenticate(parts[1].strip())
                .subscribe()
                .with(
                        outcome -> {
                            if (outcome instanceof Authenticator.Valid v) {
                                if (v.principal().admin()) {
                                    rc.next();
                                } else {
                                    fail(
                                            rc,
                                            403,
                                            "metrics need the global admin role; key '"
                                                    + v.principal().name() + "' is not an admin");
                                }
                            } else {
                                fail(
                                        rc,
                                        401,
                                        outcome instanceof Authenticator.Revoked
                                                ? "this API key was revoked"
                                                : "invalid API key");
                            }
                        },
                        e -> fail(rc, 503, "cannot check the API key now: " + e.getMessage()));
    }

    private void fail(RoutingContext rc, int status, String detail) {
        if (status == 401) {
            rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"omnirag\"");
        }
        Problem.send(rc.request(), status, detail, false);
    }
}
