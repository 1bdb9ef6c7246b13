package dev.omnirag.server.api;

import dev.omnirag.server.config.HttpConfig;
import dev.omnirag.server.config.IngestConfig;
import dev.omnirag.server.security.CurrentPrincipal;
import dev.omnirag.server.security.Principal;
import io.quarkus.vertx.http.runtime.VertxHttpRecorder;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Admits a request body after routing and access control, before anything of it is read:
 * <ul>
 * <li>a JSON body reserves its parse cost from the {@link BodyBudget} (503 with {@code Retry-After} when the budget
 * is spent);</li>
 * <li>an upload takes one of its key's upload slots ({@code omnirag.ingest.max-concurrent-uploads-per-key}, 429
 * beyond) and is counted as it streams to disk (413 past {@code omnirag.ingest.max-upload-size});</li>
 * <li>either must arrive within its time ({@code omnirag.http.body-read-timeout}, {@code omnirag.ingest.upload-timeout}),
 * or its connection is closed (HTTP/2: its stream is reset), which ends the read that waits for it. No answer is
 * sent: the request belongs to the thread reading it, and an answer written under it would collide with the one it
 * writes; the log names the timeout.</li>
 * </ul>
 * What was taken is given back when the response ends or the connection closes. Bodies are counted as they arrive
 * by {@link BodySizeInterceptor} (JSON) and by the {@link BoundedBody} this guard puts around an upload's stream,
 * never by the bare 413 of Quarkus' input stream, which this guard switches off (it writes a header HTTP/2 forbids).
 */
public class BodyGuard {

    private static final Logger LOG = Logger.getLogger(BodyGuard.class);
    /** Room for the multipart boundaries, part headers and small fields around an uploaded file. */
    static final long MULTIPART_ENVELOPE = 64 * 1024;

    private final HttpConfig http;
    private final IngestConfig ingest;
    private final BodyBudget budget;
    private final CurrentPrincipal current;
    private final KeySlots uploads;
    /** A flood of refusals is logged once every ten seconds with a count, not once each. */
    private final LogThrottle refusals = new LogThrottle(java.time.Duration.ofSeconds(10));

    private final LogThrottle timeouts = new LogThrottle(java.time.Duration.ofSeconds(10));
    /** Requests whose body is admitted and may still be arriving: at shutdown their reads are ended. */
    private final java.util.Set<RoutingContext> reading = java.util.concurrent.ConcurrentHashMap.newKeySet();

    BodyGuard(HttpConfig http, IngestConfig ingest, BodyBudget budget, CurrentPrincipal current) {
        this.http = http;
        this.ingest = ingest;
        this.budget = budget;
        this.current = current;
        this.uploads =
                new KeySlots(ingest.maxConcurrentUploadsPerKey(), "omnirag.ingest.max-concurrent-uploads-per-key");
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION + 100)
    public Response admit(RoutingContext rc, ContainerRequestContext context) {
        HttpServerRequest request = rc.request();
        if (!RequestBodies.mayHaveBody(request)) {
            return null;
        }
        boolean upload = RequestBodies.isMultipart(request);
        rc.remove(VertxHttpRecorder.MAX_REQUEST_SIZE_KEY);
        Principal caller = current.get();
        UUID key = caller == null ? null : caller.keyId();
        long reserved = 0;
        if (upload) {
            // Counted as it streams to disk; the multipart endpoints are blocking, so their parser reads this stream.
            context.setEntityStream(new BoundedBody(
                    context.getEntityStream(),
                    ingest.maxUploadSize().asLongValue() + MULTIPART_ENVELOPE,
                    "upload (omnirag.ingest.max-upload-size, plus " + MULTIPART_ENVELOPE
                            + " bytes for the form around the file)"));
            // Per key: with authentication off there are no keys, and the one local user may upload in parallel.
            if (key != null && !uploads.tryAcquire(key)) {
                return Problem.closing(
                        Response.fromResponse(Problem.response(
                                        429,
                                        "key '"
                                                + (caller == null ? "?" : caller.name()) + "' already has "
                                                + uploads.max()
                                                + " uploads in progress (omnirag.ingest.max-concurrent-uploads-per-key); retry when one "
                                                + "has finished",
                                        request.path()))
                                .header("Retry-After", "1")
                                .build(),
                        request);
            }
        } else {
            long length = RequestBodies.declaredLength(request);
            reserved = budget.weight(length < 0 ? http.maxJsonBody().asLongValue() : length);
            if (!budget.tryReserve(reserved)) {
                long quiet = refusals.suppressed();
                if (quiet >= 0) {
                    LOG.warnf(
                            "Refused a %s body on %s: the body memory budget (%d of %d bytes reserved) is spent%s",
                            length < 0 ? "chunked" : length + "-byte",
                            request.path(),
                            budget.used(),
                            budget.capacity(),
                            quiet > 0 ? " (" + quiet + " more refused since the last such message)" : "");
                }
                return Problem.closing(
                        Response.fromResponse(Problem.response(
                                        503,
                                        "the server is reading as many "
                                                + "request bodies as its memory allows (omnirag.http.body-memory); retry in a moment",
                                        request.path()))
                                .header("Retry-After", "1")
                                .build(),
                        request);
            }
        }
        long timeout = (upload ? ingest.uploadTimeout() : http.bodyReadTimeout()).toMillis();
        long timer = rc.vertx().setTimer(timeout, id -> expire(rc, upload, timeout));
        long weight = reserved;
        AtomicBoolean released = new AtomicBoolean();
        reading.add(rc);
        rc.addEndHandler(done -> {
            if (released.compareAndSet(false, true)) {
                reading.remove(rc);
                rc.vertx().cancelTimer(timer);
                if (!upload) {
                    budget.release(weight);
                } else if (key != null) {
                    uploads.release(key);
                }
            }
        });
        return null;
    }

    /**
     * A shutdown does not wait for bodies that may never come: the threads reading them are released by closing
     * their connections (a SIGTERM during a slow upload or a trickled body stops the server at once).
     */
    void stop(
            @jakarta.enterprise.event.Observes @jakarta.annotation.Priority(1) io.quarkus.runtime.ShutdownEvent event) {
        int open = 0;
        for (RoutingContext rc : reading) {
            if (!rc.request().isEnded()) {
                open++;
                EdgeGuard.closeNow(rc);
            }
        }
        if (open > 0) {
            LOG.infof("Closed %d connection(s) whose request body was still arriving, for the shutdown", open);
        }
    }

    private void expire(RoutingContext rc, boolean upload, long timeoutMs) {
        HttpServerRequest request = rc.request();
        if (request.isEnded()) {
            return;
        }
        String what = upload ? "upload" : "request body";
        String key = upload ? "omnirag.ingest.upload-timeout" : "omnirag.http.body-read-timeout";
        long quiet = timeouts.suppressed();
        if (quiet >= 0) {
            LOG.warnf(
                    "Closed a connection whose %s on %s did not arrive within %d ms (%s)%s",
                    what,
                    request.path(),
                    timeoutMs,
                    key,
                    quiet > 0 ? " (" + quiet + " more since the last such message)" : "");
        }
        EdgeGuard.closeNow(rc);
    }
}
