package dev.omnirag.server.web;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Headers that tell browsers what this server's responses may do, added to every response that does not set them
 * itself: {@code X-Content-Type-Options: nosniff} (a response is only ever the type it says) and
 * {@code Referrer-Policy: no-referrer} (page addresses, which name documents, never leave in a Referer). The web
 * UI's pages also get a Content-Security-Policy (scripts, styles and connections from this origin only; images and
 * media also from the UI's own blob: URLs; no plugins; no framing by other sites) and {@code X-Frame-Options: DENY}
 * for older browsers. Original files get a stricter policy of their own ({@code /v1/documents/{id}/content}).
 */
@ApplicationScoped
public class SecurityHeaders {

    /** The web UI's policy; style attributes are allowed because the UI positions highlight boxes with them. */
    static final String UI_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; font-src 'self'; "
            + "object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 2).handler(this::add);
    }

    private void add(RoutingContext rc) {
        String path = rc.normalizedPath();
        boolean page =
                !(path.startsWith("/v1/") || path.equals("/v1") || path.startsWith("/v2/") || path.startsWith("/q/"));
        rc.addHeadersEndHandler(v -> {
            MultiMap h = rc.response().headers();
            setIfAbsent(h, "X-Content-Type-Options", "nosniff");
            setIfAbsent(h, "Referrer-Policy", "no-referrer");
            if (page) {
                setIfAbsent(h, "Content-Security-Policy", UI_POLICY);
                setIfAbsent(h, "X-Frame-Options", "DENY");
            }
        });
        rc.next();
    }

    private static void setIfAbsent(MultiMap headers, String name, String value) {
        if (!headers.contains(name)) {
            headers.set(name, value);
        }
    }
}
