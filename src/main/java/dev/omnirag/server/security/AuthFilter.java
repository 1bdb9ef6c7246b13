package dev.omnirag.server.security;

import dev.omnirag.server.api.Problem;
import dev.omnirag.server.config.AuthConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every {@code /v1} request from its {@code Authorization: Bearer <key>} header (401 otherwise, with
 * {@code WWW-Authenticate: Bearer}), records the caller for {@link Access}, and applies the key's rate limit (429
 * with {@code Retry-After}). Runs before routing, so an unknown path under {@code /v1} also needs a key, and again
 * after routing for any request that reached a resource method without a caller: what the router matched is what
 * is authenticated, however the path was spelled ({@link dev.omnirag.server.api.EdgeGuard} refuses the spellings routing reads
 * differently). Never blocks: keys are looked up with the reactive client and remembered briefly
 * ({@link Authenticator}).
 */
public class AuthFilter {

    private static final Pattern KEY = Pattern.compile("omr_[A-Za-z0-9_-]{43}");
    /** The two routes a signed link opens: a document's original file and one of its page images. */
    private static final Pattern LINKED =
            Pattern.compile("/v1/documents/([0-9a-fA-F-]{36})/(?:content|pages/([1-9][0-9]{0,5})\\.png)");

    private final AuthConfig config;
    private final Authenticator authenticator;
    private final RateLimiter limiter;
    private final CurrentPrincipal current;

    private final LinkSigner links;

    AuthFilter(
            AuthConfig config,
            Authenticator authenticator,
            RateLimiter limiter,
            CurrentPrincipal current,
            LinkSigner links) {
        this.links = links;
        this.config = config;
        this.authenticator = authenticator;
        this.limiter = limiter;
        this.current = current;
    }

    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION)
    public Uni<Response> authenticate(HttpServerRequest request, io.vertx.ext.web.RoutingContext routing) {
        // The path as routing sees it (dot segments resolved, "//" collapsed, %-escapes of unreserved characters
        // decoded): "/x/../v1/rerank" and "/%761/rerank" reach /v1/rerank and must be checked as such.
        String path = routing.normalizedPath();
        if (!(path.equals("/v1") || path.startsWith("/v1/") || path.startsWith("/v2/"))) {
            return Uni.createFrom().nullItem();
        }
        return check(request, path).invoke(refused -> tagRefused(routing, refused));
    }

    /**
     * Names a refused request's series in the HTTP metrics {@code UNAUTHENTICATED} (401) or {@code RATE_LIMITED}
     * (429) instead of its raw path: paths chosen by callers who were never let in must not use up the metrics'
     * series (each raw path would be a series of its own).
     */
    private static void tagRefused(io.vertx.ext.web.RoutingContext routing, Response refused) {
        if (refused == null || routing == null) {
            return;
        }
        String tag =
                refused.getStatus() == 401 ? "UNAUTHENTICATED" : refused.getStatus() == 429 ? "RATE_LIMITED" : null;
        if (tag != null && routing.request() instanceof io.vertx.core.http.impl.HttpServerRequestInternal internal) {
            internal.context().putLocal("UrlPathTemplate", tag);
        }
    }

    /**
     * The second line of defence: every request that routing matched to a resource method has a caller, whatever
     * its path looked like before matching. A path that slipped past the check above (the router strips, decodes or
     * normalises something the check did not) is authenticated here, before its body is read.
     */
    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Uni<Response> requireCaller(HttpServerRequest request, io.vertx.ext.web.RoutingContext routing) {
        if (current.get() != null) {
            return Uni.createFrom().nullItem();
        }
        return check(request, request.path()).invoke(refused -> tagRefused(routing, refused));
    }

    private Uni<Response> check(HttpServerRequest request, String path) {
        if (!config.enabled()) {
            current.set(Principal.unrestricted());
            return Uni.createFrom().nullItem();
        }
        String header = request.getHeader("Authorization");
        if ((header == null || header.isBlank()) && request.getParam("sig") != null) {
            return Uni.createFrom().item(signedLink(request, path));
        }
        if (header == null || header.isBlank()) {
            return Uni.createFrom()
                    .item(unauthorized("this endpoint needs an API key: send Authorization: Bearer <key>", path, null));
        }
        String[] parts = header.strip().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer")) {
            return Uni.createFrom()
                    .item(unauthorized("the Authorization header must be 'Bearer <key>'", path, "invalid_request"));
        }
        String key = parts[1].strip();
        if (!KEY.matcher(key).matches()) {
            return Uni.createFrom().item(unauthorized("invalid API key", path, "invalid_token"));
        }
        return authenticator.authenticate(key).map(outcome -> switch (outcome) {
            case Authenticator.Unknown u -> unauthorized("invalid API key", path, "invalid_token");
            case Authenticator.Revoked r -> unauthorized("this API key was revoked", path, "invalid_token");
            case Authenticator.Valid v -> {
                long wait = limiter.acquire(v.principal().keyId());
                if (wait > 0) {
                    yield Response.fromResponse(Problem.response(
                                    429,
                                    "rate limit of key '" + v.principal().name()
                                            + "' exceeded (" + config.requestsPerSecond() + " requests/s, bursts of "
                                            + config.burst() + "); retry after " + wait + " s",
                                    path))
                            .header("Retry-After", Long.toString(wait))
                            .build();
                }
                current.set(v.principal());
                yield null;
            }
        });
    }

    /**
     * A request that carries a signed link instead of a key: allowed on its document's file and page image routes
     * while the signature holds (the caller then reads that document and nothing else), 401 otherwise.
     */
    private Response signedLink(HttpServerRequest request, String path) {
        java.util.regex.Matcher m = LINKED.matcher(path);
        if (!m.matches()
                || !"GET".equals(request.method().name())
                        && !"HEAD".equals(request.method().name())) {
            return unauthorized(
                    "a signed link opens a document's original file and page images only; this endpoint "
                            + "needs an API key: send Authorization: Bearer <key>",
                    path,
                    null);
        }
        java.util.UUID document;
        int page;
        long expires;
        try {
            document = java.util.UUID.fromString(m.group(1));
            page = m.group(2) != null ? Integer.parseInt(m.group(2)) : Integer.parseInt(request.getParam("page", "0"));
            expires = Long.parseLong(request.getParam("exp", ""));
        } catch (IllegalArgumentException e) {
            return unauthorized(
                    "this link is not a valid signed link (page, exp and sig are required)", path, "invalid_token");
        }
        return switch (links.check(document, page, expires, request.getParam("sig"))) {
            case VALID -> {
                long wait = limiter.acquire(document);
                if (wait > 0) {
                    yield Response.fromResponse(Problem.response(
                                    429,
                                    "rate limit of the links to document " + document + " exceeded; retry after " + wait
                                            + " s",
                                    path))
                            .header("Retry-After", Long.toString(wait))
                            .build();
                }
                current.set(Principal.signedLink(document));
                yield null;
            }
            case EXPIRED ->
                unauthorized(
                        "this link expired at " + java.time.Instant.ofEpochSecond(expires)
                                + "; ask again for a fresh link, or open the document with an API key",
                        path,
                        "invalid_token");
            case INVALID ->
                unauthorized(
                        "this link's signature is not valid (altered, or signed with a key that was "
                                + "rotated since)",
                        path,
                        "invalid_token");
        };
    }

    private static Response unauthorized(String detail, String path, String error) {
        String challenge = "Bearer realm=\"omnirag\"" + (error == null ? "" : ", error=\"" + error + "\"");
        return Response.fromResponse(Problem.response(401, detail, path))
                .header("WWW-Authenticate", challenge)
                .build();
    }
}
