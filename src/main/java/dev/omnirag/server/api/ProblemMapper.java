package dev.omnirag.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.omnirag.embeddings.EmbeddingException;
import dev.omnirag.generator.GenerationException;
import dev.omnirag.index.IndexException;
import dev.omnirag.reranker.RerankException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place where failures become problem+json responses. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response api(ApiException e, UriInfo uri) {
        return Problem.response(e.status(), e.getMessage(), path(uri));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException json) {
            return json(json, uri);
        }
        String detail = switch (status) {
            case 404 -> "no resource at " + path(uri);
            case 405 -> "method not allowed on " + path(uri);
            case 406 -> "cannot produce a response in the requested media type";
            case 415 -> "unsupported request content type; send application/json (or multipart/form-data for uploads)";
            default -> e.getMessage();
        };
        return Problem.response(status, detail, path(uri));
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        String detail;
        if (e instanceof com.fasterxml.jackson.databind.exc.ValueInstantiationException v
                && v.getCause() instanceof IllegalArgumentException invalid) {
            // A request record refused a value in its constructor; its message names the field.
            detail = invalid.getMessage();
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

    @ServerExceptionMapper
    public Response illegalArgument(IllegalArgumentException e, UriInfo uri) {
        // Request records validate in their constructors; their messages name the field and value.
        return Problem.response(400, e.getMessage(), path(uri));
    }

    @ServerExceptionMapper
    public Response index(IndexException e, UriInfo uri) {
        return library(e, e.isRetriable(), uri);
    }

    @ServerExceptionMapper
    public Response embedding(EmbeddingException e, UriInfo uri) {
        return library(e, e.isRetriable(), uri);
    }

    @ServerExceptionMapper
    public Response generation(GenerationException e, UriInfo uri) {
        return library(e, e.isRetriable(), uri);
    }

    @ServerExceptionMapper
    public Response spaceMismatch(dev.omnirag.server.search.SpaceMismatchException e, UriInfo uri) {
        return Problem.response(409, e.getMessage(), path(uri));
    }

    /** Media failures in requests come from the request's own image (a query image): the client's problem. */
    @ServerExceptionMapper
    public Response media(dev.omnirag.media.MediaException e, UriInfo uri) {
        if (e.isRetriable()) {
            return library(e, true, uri);
        }
        return Problem.response(400, e.getMessage(), path(uri));
    }

    @ServerExceptionMapper
    public Response rerank(RerankException e, UriInfo uri) {
        return library(e, e.isRetriable(), uri);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        LOG.errorf(e, "Unexpected failure on %s", path(uri));
        return Problem.response(500, "internal error: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()), path(uri));
    }

    private Response library(RuntimeException e, boolean retriable, UriInfo uri) {
        if (retriable) {
            LOG.warnf("Transient failure on %s: %s", path(uri), e.getMessage());
            Response r = Problem.response(503, e.getMessage(), path(uri));
            return Response.fromResponse(r).header("Retry-After", "5").build();
        }
        LOG.errorf(e, "Failure on %s", path(uri));
        return Problem.response(500, e.getMessage(), path(uri));
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
