package dev.omnirag.server.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/**
 * When the last request that does work began: any API request other than a GET (searches, asks, chat, embeddings,
 * reranking, uploads). Background work that competes with them for the cores (the extractive answer's sentence
 * vectors) waits until none has begun for a while. Reads (GET: lists, job progress, metrics) do not count. Thread safe.
 */
@ApplicationScoped
public class RequestActivity {

    private volatile long last = System.nanoTime();

    void install(@Observes Router router) {
        router.route("/v1/*").order(Integer.MIN_VALUE + 1).handler(this::seen);
    }

    private void seen(RoutingContext rc) {
        if (rc.request().method() != HttpMethod.GET) {
            last = System.nanoTime();
        }
        rc.next();
    }

    /** Time since the last request that does work began on this instance (since start when none did). */
    public Duration sinceLastWork() {
        return Duration.ofNanos(System.nanoTime() - last);
    }
}
