package dev.omnirag.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.omnirag.error.OmniragException;
import dev.omnirag.server.config.HttpConfig;
import dev.omnirag.server.config.IngestConfig;
import dev.omnirag.server.db.SqlStates;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place where failures become problem+json responses. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    private final IngestConfig ingest;
    private final HttpConfig http;
    private final MemorySize formField;

    ProblemMapper(
            IngestConfig ingest,
            HttpConfig http,
            @ConfigProperty(name = "quarkus.http.limits.max-form-attribute-size", defaultValue = "2048")
                    MemorySize formField) {
        this.ingest = ingest;
        this.http = http;
        this.formField = formField;
    }

    @ServerExceptionMapper
    public Response api(ApiException e, UriInfo uri, HttpServerRequest request) {
        Response r = Problem.response(e.status(), e.getMessage(), path(uri), e.code(), e.param());
        if (e instanceof ModelCalls.RateLimited limited) {
            return limited.headers(Response.fromResponse(r)).build();
        }
        return unreadBody(e.status()) ? Problem.closing(r, request) : r;
    }

    /** The client went away while its model work ran: nothing can be answered; logged quietly. */
    @ServerExceptionMapper
    public Response clientGone(dev.omnirag.server.wiring.Cancellation.ClientGone e, UriInfo uri) {
        LOG.debugf("Stopped the model work of %s: its client went away", path(uri));
        return Problem.response(400, e.getMessage(), path(uri));
    }

    /** Statuses sent before the request's body was read to its end: the connection cannot carry another request. */
    private static boolean unreadBody(int status) {
        return status == 408 || status == 413;
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri, HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException json) {
            return json(json, uri);
        }
        String detail = switch (status) {
            case 413 ->
                "the request is too large: an uploaded file may have at most "
                        + ingest.maxUploadSize().asLongValue() + " bytes (omnirag.ingest.max-upload-size), each other "
                        + "form field (such as metadata) at most " + formField.asLongValue()
                        + " bytes (quarkus.http.limits.max-form-attribute-size), a JSON body at most "
                        + http.maxJsonBody().asLongValue() + " bytes (omnirag.http.max-json-body)";
            case 404 -> "no resource at " + path(uri);
            case 405 -> "method not allowed on " + path(uri);
            case 406 -> "cannot produce a response in the requested media type";
            case 415 -> "unsupported request content type; send application/json (or multipart/form-data for uploads)";
            default -> e.getMessage();
        };
        Response r = Problem.response(status, detail, path(uri));
        return unreadBody(status) ? Problem.closing(r, request) : r;
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        String detail;
        if (e instanceof com.fasterxml.jackson.databind.exc.ValueInstantiationException) {
            // Request records only normalise in their constructors (Bean Validation checks them); Jackson's text
            // would name the record's class.
            String id = errorId();
            LOG.warnf(e, "A request body could not be made into its record (%s) on %s", id, path(uri));
            detail = "the request body's values cannot be read; error id " + id;
        } else if (e instanceof StreamConstraintsException c) {
            // A bound of JsonLimits: tokens, nesting or string length.
            detail = "the JSON body exceeds a limit of this server: " + c.getOriginalMessage();
        } else if (e instanceof UnrecognizedPropertyException u) {
            detail = "unknown field '" + u.getPropertyName() + "'";
        } else if (e instanceof InvalidFormatException f) {
            detail = "invalid value " + f.getValue() + " for field '" + fieldPath(f) + "'";
        } else if (e instanceof MismatchedInputException m) {
            detail = "wrong JSON type for field '" + fieldPath(m) + "'";
        } else {
            detail = "malformed JSON: " + e.getOriginalMessage();
        }
        return Problem.response(400, detail, path(uri));
    }

    /**
     * A JSON value of the wrong type or format ({@code "feedback": "maybe"}, {@code "k": "ten"}): without this
     * mapper Quarkus REST's own one for this exact type answers first, with plain JSON instead of a problem.
     */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    /**
     * A request body that breaks its Bean Validation constraints ({@code @Valid} request records): 400, every
     * violation as "field message" (the field as a path, {@code grants[2].role}, also put for the token
     * {@code {field}} of a message), sorted, joined by "; ". A violated return value would be the server's fault.
     */
    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, UriInfo uri) {
        List<ConstraintViolation<?>> violations = e.getConstraintViolations().stream()
                .sorted(Comparator.comparing(v -> field(v.getPropertyPath())))
                .toList();
        boolean returned = violations.stream()
                .anyMatch(v -> StreamSupport.stream(v.getPropertyPath().spliterator(), false)
                        .anyMatch(n -> n.getKind() == ElementKind.RETURN_VALUE));
        if (violations.isEmpty() || returned) {
            return unexpected(e, uri);
        }
        String detail = violations.stream().map(ProblemMapper::describe).collect(Collectors.joining("; "));
        String param = field(violations.get(0).getPropertyPath());
        return Problem.response(400, detail, path(uri), null, param.isEmpty() ? null : param);
    }

    private static String describe(ConstraintViolation<?> v) {
        String field = field(v.getPropertyPath());
        String message = v.getMessage().replace("{field}", field);
        return field.isEmpty() ? message : field + " " + message;
    }

    /** The request field of a violation as the client wrote it ({@code grants[2].role}), without method and parameter. */
    static String field(jakarta.validation.Path path) {
        StringBuilder field = new StringBuilder();
        for (jakarta.validation.Path.Node node : path) {
            switch (node.getKind()) {
                case PROPERTY, CONTAINER_ELEMENT, BEAN -> {
                    if (node.isInIterable()) {
                        field.append('[')
                                .append(node.getIndex() != null ? node.getIndex() : node.getKey())
                                .append(']');
                    }
                    String name = node.getName();
                    if (name != null && !name.startsWith("<")) {
                        field.append(field.isEmpty() ? "" : ".").append(name);
                    }
                }
                default -> {}
            }
        }
        return field.toString();
    }

    /**
     * Every library failure, by its kind: transient ones are 503 with Retry-After; invalid input is 400 (in a
     * request, the only input a library reads is the request's own, such as a query image); the rest is the
     * server's set-up or a dependency, 500. Library messages are written for people and name no Java class.
     */
    @ServerExceptionMapper
    public Response library(OmniragException e, UriInfo uri) {
        return switch (e.kind()) {
            case UNAVAILABLE -> {
                LOG.warnf("Transient failure on %s: %s", path(uri), e.getMessage());
                Response r = Problem.response(503, e.getMessage(), path(uri));
                yield Response.fromResponse(r).header("Retry-After", "5").build();
            }
            case INVALID_INPUT -> Problem.response(400, e.getMessage(), path(uri));
            case FAILED -> {
                LOG.errorf(e, "Failure on %s", path(uri));
                yield Problem.response(500, e.getMessage(), path(uri));
            }
        };
    }

    @ServerExceptionMapper
    public Response spaceMismatch(dev.omnirag.server.search.SpaceMismatchException e, UriInfo uri) {
        return Problem.response(409, e.getMessage(), path(uri));
    }

    /** A body over its limit while it arrived ({@link BoundedBody}); the connection closes after this answer. */
    @ServerExceptionMapper
    public Response tooLarge(BoundedBody.TooLarge e, UriInfo uri, HttpServerRequest request) {
        return Problem.closing(Problem.response(413, e.getMessage(), path(uri)), request);
    }

    /**
     * A request whose connection failed while its body was read (the client went away, its body timed out in
     * {@link BodyGuard}, its HTTP/2 stream was reset): nothing can be answered, so it is logged quietly. Any other
     * I/O failure (a full disk) is the server's.
     */
    @ServerExceptionMapper
    public Response io(java.io.IOException e, UriInfo uri) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.vertx.core.http.HttpClosedException
                    || t instanceof java.nio.channels.ClosedChannelException
                    || t instanceof io.vertx.core.http.StreamResetException
                    || "Read timed out".equals(t.getMessage())) {
                LOG.debugf("The connection of a request to %s closed while its body was read: %s", path(uri), e);
                return Problem.response(400, "the request body could not be read: its connection closed", path(uri));
            }
        }
        return unexpected(e, uri);
    }

    /**
     * Anything else is a fault of the server: the client gets an error id to quote, the log gets the exception
     * under that id. No exception text reaches the client (it may hold SQL, paths or internal names).
     */
    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        // Values the database refused: the client's, but the database's words (SQL, constraint names) stay in the log.
        if (SqlStates.isDataException(e)) {
            String id = errorId();
            LOG.warnf(e, "A value was refused by the database (%s) on %s", id, path(uri));
            return Problem.response(
                    400,
                    "a value in the request cannot be stored (such as a NUL character); error id " + id,
                    path(uri));
        }
        if (SqlStates.isUniqueViolation(e)) {
            String id = errorId();
            LOG.warnf(e, "A unique key was violated (%s) on %s", id, path(uri));
            return Problem.response(
                    409,
                    "this conflicts with something that already exists (it was probably made at "
                            + "the same moment); retry; error id " + id,
                    path(uri));
        }
        String id = errorId();
        LOG.errorf(e, "Unexpected failure %s on %s", id, path(uri));
        return Problem.response(
                500, "internal error " + id + " (the server's log has the details under this id)", path(uri));
    }

    /** What a stream that has already started tells its client about a failure: a status and words for people. */
    public record StreamFailure(int status, String detail) {
        /** True when a retry may succeed (503). */
        public boolean retriable() {
            return status == 503;
        }
    }

    /**
     * The failure of a stream whose headers are sent (an {@code error} event instead of a status line), by the same
     * rules as {@link #library} and {@link #unexpected}: a library failure by its kind and with its message, a
     * request error with its status, anything else a 500 with an error id and none of its text (logged under the id).
     */
    public static StreamFailure streamFailure(Throwable e) {
        if (e instanceof OmniragException o) {
            int status = switch (o.kind()) {
                case UNAVAILABLE -> 503;
                case INVALID_INPUT -> 400;
                case FAILED -> 500;
            };
            if (status == 500) {
                LOG.errorf(e, "Stream failed");
            }
            return new StreamFailure(status, o.getMessage());
        }
        if (e instanceof ApiException a) {
            return new StreamFailure(a.status(), a.getMessage());
        }
        String id = errorId();
        LOG.errorf(e, "Stream failed: internal error %s", id);
        return new StreamFailure(500, "internal error " + id + " (the server's log has the details under this id)");
    }

    /** A short random id that ties a 500 answer to its log entry. */
    static String errorId() {
        return "err-"
                + Long.toHexString(
                        java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 16);
    }

    private static String fieldPath(MismatchedInputException e) {
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "(body)" : sb.toString();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }
}
