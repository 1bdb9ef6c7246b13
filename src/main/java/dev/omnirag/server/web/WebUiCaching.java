package dev.omnirag.server.web;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Quarkus serves static files with {@code Cache-Control: public, immutable, max-age=86400}. That suits the UI's
 * content-hashed assets ({@code /assets/index-<hash>.js}) but not {@code index.html}, which names them: a browser
 * would keep an old page (and old assets) for a day after an upgrade. The page is revalidated on each load.
 */
@ApplicationScoped
public class WebUiCaching {

    void install(@Observes Router router) {
        router.routeWithRegex("/(index\\.html)?").order(Integer.MIN_VALUE).handler(rc -> {
            rc.addHeadersEndHandler(v -> rc.response().headers().set("Cache-Control", "no-cache"));
            rc.next();
        });
    }
}
