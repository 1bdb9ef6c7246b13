package dev.omnirag.server.api;

import dev.omnirag.server.config.HttpConfig;
import dev.omnirag.server.config.IngestConfig;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;

/**
 * What every request meets first, before authentication and routing:
 * <ul>
 * <li>Paths that the layers of the server would read differently are refused with 400: a {@code ;} (Quarkus REST
 * drops "matrix parameters" when it routes, the access checks and metrics would not), its escape {@code %3B}, and
 * raw or escaped control characters (such as {@code %00}). No endpoint has such a path, so nothing is lost, and
 * what is refused here can never reach a check that spells the path another way.</li>
 * <li>A declared body size over its limit gets 413 before anything of it is read: uploads beyond
 * {@code omnirag.ingest.max-upload-size} (plus room for the multipart envelope), other bodies beyond
 * {@code omnirag.http.max-json-body}. A non-upload HTTP/1.1 body without a length (chunked) gets 411. Bodies are
 * counted again as they arrive, for those without a length (HTTP/2): {@link BodySizeInterceptor} (JSON),
 * {@link BodyGuard} (uploads). Answered here, ahead of Quarkus' own limit, whose 413 has no problem document.</li>
 * <li>A request answered before its body has fully arrived (refused by a key check, a size or memory limit, a
 * role) has its connection closed once the answer is out, after a bounded lingering read so that the client sees
 * the answer (HTTP/2: its stream reset): otherwise the server would go on receiving, and discarding, whatever the
 * client keeps sending.</li>
 * </ul>
 */
@ApplicationScoped
public class EdgeGuard {

    private final IngestConfig ingest;
    private final HttpConfig http;

    EdgeGuard(IngestConfig ingest, HttpConfig http) {
        this.ingest = ingest;
        this.http = http;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check).failureHandler(this::failed);
    }

    /**
     * Requests the HTTP layer refuses before any handler runs (a malformed {@code Host}, say) get a problem document
     * like every other refusal, not the framework's own error body.
     */
    private void failed(RoutingContext rc) {
        int status = rc.statusCode();
        if (status == 400 && !rc.response().headWritten()) {
            String detail = malformedHost(rc.request())
                    ? "the Host header is malformed: " + abbreviate(rc.request().getHeader("Host"))
                    : "the request is malformed"
                            + (rc.failure() == null ? "" : ": " + rc.failure().getMessage());
            Problem.send(rc.request(), 400, detail, true);
            return;
        }
        rc.next();
    }

    private static String abbreviate(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "…";
    }

    private static boolean malformedHost(HttpServerRequest request) {
        return request.getHeader("Host") != null && request.authority() == null;
    }

    private void check(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        boolean body = RequestBodies.mayHaveBody(request);
        if (body) {
            // Only after an answer was written: when the connection closed instead, there is nothing left to end,
            // and the handlers the lingering read installs would take the place of those of a thread still
            // waiting for the body, which would then wait for its read timeout. And only after a refusal (4xx/5xx):
            // a resource that answered 2xx/3xx has read its body, though the request may not say so yet where the
            // answer was written from a worker thread; closing those connections broke every kept-alive client's
            // next request ("header parser received no bytes" under load).
            rc.addEndHandler(done -> {
                if (done.succeeded() && rc.response().getStatusCode() >= 400) {
                    closeIfUnread(rc);
                }
            });
        }
        String problem = pathProblem(request.path());
        if (problem != null) {
            Problem.send(request, 400, problem, body);
            return;
        }
        if (body && !sizeAdmitted(request)) {
            return;
        }
        rc.next();
    }

    /** Checks the declared size; answers (and returns false) when it is refused. */
    private boolean sizeAdmitted(HttpServerRequest request) {
        boolean upload = RequestBodies.isMultipart(request);
        String header = request.getHeader("Content-Length");
        long maxJson = http.maxJsonBody().asLongValue();
        if (header == null) {
            String encoding = request.getHeader("Transfer-Encoding");
            if (!upload && encoding != null && request.version() != HttpVersion.HTTP_2) {
                Problem.send(
                        request,
                        411,
                        "a request body of unknown length (Transfer-Encoding: " + encoding
                                + ") is not accepted; send Content-Length (at most " + maxJson
                                + " bytes, omnirag.http.max-json-body)",
                        true);
                return false;
            }
            return true;
        }
        long length;
        try {
            length = Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            Problem.send(request, 400, "Content-Length is not a number: " + header, true);
            return false;
        }
        long maxUpload = ingest.maxUploadSize().asLongValue();
        long limit = upload ? maxUpload + BodyGuard.MULTIPART_ENVELOPE : maxJson;
        if (length > limit) {
            Problem.send(
                    request,
                    413,
                    upload
                            ? "upload is " + length + " bytes; the limit is " + maxUpload
                                    + " bytes (omnirag.ingest.max-upload-size)"
                            : "request body is " + length + " bytes; the limit is " + maxJson
                                    + " bytes (omnirag.http.max-json-body)",
                    true);
            return false;
        }
        return true;
    }

    /** Longest a refused request's remaining body is read and discarded before its connection is closed. */
    static final long LINGER_MS = 5_000;
    /** Most bytes of a refused request's remaining body read and discarded before its connection is closed. */
    static final long LINGER_BYTES = 16L * 1024 * 1024;

    /**
     * Ends the connection (HTTP/2: resets the stream) of a request answered before its body fully arrived. On HTTP/1
     * what the client is still sending is first read and discarded, for at most {@link #LINGER_MS} and
     * {@link #LINGER_BYTES}, as web servers do ("lingering close"): closing a socket with unread data makes the kernel
     * reset the connection, and a client still sending would see a broken pipe instead of the answer.
     */
    static void closeIfUnread(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        if (request.isEnded()) {
            return;
        }
        if (request.version() == HttpVersion.HTTP_2) {
            rc.response().reset();
            return;
        }
        var connection = request.connection();
        long[] discarded = {0};
        long timer = rc.vertx().setTimer(LINGER_MS, id -> connection.close());
        Runnable close = () -> {
            rc.vertx().cancelTimer(timer);
            connection.close();
        };
        try {
            request.handler(data -> {
                discarded[0] += data.length();
                if (discarded[0] > LINGER_BYTES) {
                    close.run();
                }
            });
            request.endHandler(v -> close.run());
            request.exceptionHandler(e -> close.run());
            request.resume();
        } catch (IllegalStateException e) {
            // The request ended meanwhile.
            close.run();
        }
    }

    /** Closes at once, without reading what is left: for a body that arrives too slowly to wait for. */
    static void closeNow(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        if (request.isEnded()) {
            return;
        }
        if (request.version() == HttpVersion.HTTP_2) {
            rc.response().reset();
        } else {
            request.connection().close();
        }
    }

    /** Why the raw path (before decoding, without the query) is refused, or null when it is fine. */
    static String pathProblem(String raw) {
        if (raw == null) {
            return null;
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == ';') {
                return "a ';' in the request path is not accepted (no endpoint takes matrix parameters)";
            }
            if (c < 0x20 || c == 0x7f) {
                return "control characters in the request path are not accepted";
            }
            if (c == '%' && i + 2 < raw.length()) {
                String escape = raw.substring(i + 1, i + 3).toUpperCase(Locale.ROOT);
                if (escape.equals("3B")) {
                    return "an escaped ';' (%3B) in the request path is not accepted";
                }
                if (escape.charAt(0) == '0' || escape.charAt(0) == '1' || escape.equals("7F")) {
                    return "escaped control characters (such as %00) in the request path are not accepted";
                }
            }
        }
        return null;
    }
}
