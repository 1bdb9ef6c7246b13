package dev.omnirag.server.api;

import dev.omnirag.server.config.AuthConfig;
import dev.omnirag.server.security.Access;
import dev.omnirag.server.security.Principal;
import dev.omnirag.server.security.RateLimiter;
import dev.omnirag.server.wiring.Cancellation;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Admits the model work of one request (embedding inputs, reranking documents, a prompt passed to the generator),
 * priced in model tokens, before any of it runs:
 * <ul>
 * <li>at most {@code omnirag.auth.model-token-burst} tokens in one request (400 naming the count and the limit);</li>
 * <li>the key's model-token bucket pays for them ({@code omnirag.auth.model-tokens-per-second}; 429 with
 * {@code Retry-After} when it cannot);</li>
 * <li>the key has at most {@code omnirag.auth.max-concurrent-model-calls} such requests running (429 beyond);</li>
 * <li>the work stops between batches once the client has gone away ({@link Cancellation}).</li>
 * </ul>
 * With authentication off there are no keys: only the cancellation applies. Thread safe.
 */
@ApplicationScoped
public class ModelCalls {

    private final AuthConfig config;
    private final RateLimiter limiter;
    private final Access access;
    private final CurrentVertxRequest http;
    private final KeySlots running;

    ModelCalls(AuthConfig config, RateLimiter limiter, Access access, CurrentVertxRequest http) {
        this.config = config;
        this.limiter = limiter;
        this.access = access;
        this.http = http;
        this.running = new KeySlots(config.maxConcurrentModelCalls(), "omnirag.auth.max-concurrent-model-calls");
    }

    /**
     * Runs {@code work} for the current request once its {@code tokens} are admitted; {@code what} names the work
     * in refusals ("embedding 2048 inputs").
     *
     * @throws ApiException 400 when the request alone exceeds the per-request bound, 429 when the key must wait
     * @throws Cancellation.ClientGone when the client went away while the work ran
     */
    public <T> T run(String what, long tokens, Supplier<T> work) {
        Principal caller = access.principal();
        boolean keyed = config.enabled() && caller.keyId() != null;
        if (keyed) {
            if (tokens > config.modelTokenBurst()) {
                throw ApiException.badRequest(
                        what + " is about " + tokens + " model tokens; one request may carry at most "
                                + config.modelTokenBurst() + " (omnirag.auth.model-token-burst): split it");
            }
            if (!running.tryAcquire(caller.keyId())) {
                throw limited(
                        "key '" + caller.name() + "' already has " + running.max() + " requests with model work "
                                + "running (omnirag.auth.max-concurrent-model-calls); retry when one has finished",
                        1);
            }
        }
        try {
            if (keyed) {
                long wait = limiter.acquireModelTokens(caller.keyId(), tokens);
                if (wait > 0) {
                    throw limited(
                            "key '" + caller.name() + "' has spent its model tokens for now ("
                                    + config.modelTokensPerSecond() + " per second, bursts of "
                                    + config.modelTokenBurst()
                                    + "; this request needs about " + tokens + "); retry after " + wait + " s",
                            wait);
                }
            }
            return Cancellation.within(clientGone(), work);
        } finally {
            if (keyed) {
                running.release(caller.keyId());
            }
        }
    }

    /**
     * About how many tokens a model reads of {@code text}: four characters a token (English prose with current
     * vocabularies), at most {@code cap} (what the model truncates to; 0 for no cap).
     */
    public static long tokens(String text, int cap) {
        long t = (text.length() + 3L) / 4;
        return cap > 0 ? Math.min(t, cap) : t;
    }

    /** Becomes true once the current request's connection closed before its answer was written. */
    private java.util.function.BooleanSupplier clientGone() {
        RoutingContext rc = http.getCurrent();
        if (rc == null) {
            return () -> false;
        }
        AtomicBoolean gone = new AtomicBoolean();
        rc.addEndHandler(done -> {
            if (!rc.response().ended()) {
                gone.set(true);
            }
        });
        return gone::get;
    }

    private static ApiException limited(String detail, long retryAfter) {
        return new RateLimited(detail, retryAfter);
    }

    /** A 429 with its {@code Retry-After}. */
    static final class RateLimited extends ApiException {
        private final long retryAfter;

        RateLimited(String detail, long retryAfter) {
            super(429, detail);
            this.retryAfter = retryAfter;
        }

        Response.ResponseBuilder headers(Response.ResponseBuilder r) {
            return r.header("Retry-After", Long.toString(retryAfter));
        }
    }
}
