package dev.omnirag.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * An RFC 9457 problem document. {@code error} repeats the problem in OpenAI's error shape so OpenAI client
 * libraries show the detail too.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type, String title, int status, String detail, String instance, Map<String, Object> error) {

    public static final String MEDIA_TYPE = "application/problem+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    public static Response response(int status, String detail, String instance) {
        return response(status, detail, instance, null, null);
    }

    /**
     * A problem whose OpenAI {@code error} has this {@code code} and {@code param} (the request field at fault).
     * Without a code: {@code invalid_api_key} for 401, {@code rate_limit_exceeded} for 429, else the status title
     * in snake case.
     */
    public static Response response(int status, String detail, String instance, String code, String param) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : titleFor(status);
        if (code == null) {
            code = switch (status) {
                case 401 -> "invalid_api_key";
                case 429 -> "rate_limit_exceeded";
                default -> title.toLowerCase(java.util.Locale.ROOT).replace(' ', '_');
            };
        }
        Map<String, Object> openAi = new java.util.LinkedHashMap<>();
        openAi.put("message", detail == null ? title : detail);
        openAi.put(
                "type", status >= 500 ? "server_error" : status == 429 ? "rate_limit_error" : "invalid_request_error");
        openAi.put("param", param);
        openAi.put("code", code);
        return Response.status(status)
                .type(MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status, detail, instance, openAi))
                .build();
    }

    /** The title of a status: its reason phrase ("Service Unavailable"). */
    public static String title(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known != null ? known.getReasonPhrase() : titleFor(status);
    }

    private static String titleFor(int status) {
        return switch (status) {
            case 422 -> "Unprocessable Content";
            case 413 -> "Content Too Large";
            case 429 -> "Too Many Requests";
            default -> "HTTP " + status;
        };
    }

    /**
     * Ends a Vert.x response with this problem, for handlers that answer before Quarkus REST runs (path and body
     * guards, metrics). With {@code close}, an HTTP/1 connection is closed after it: the request's body is not read,
     * so the connection cannot carry another request (HTTP/2 has no such header; its stream ends alone).
     */
    public static void send(HttpServerRequest request, int status, String detail, boolean close) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.headWritten()) {
            return;
        }
        String instance = request.path();
        Object problem = response(status, detail, instance).getEntity();
        String body;
        try {
            body = JSON.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            body = "{\"status\":" + status + "}";
        }
        response.setStatusCode(status).putHeader("Content-Type", MEDIA_TYPE);
        if (close && request.version() != HttpVersion.HTTP_2) {
            response.putHeader("Connection", "close");
        }
        response.end(body);
    }

    /** {@code r} with {@code Connection: close} on HTTP/1 (the body was not read to its end), unchanged on HTTP/2. */
    public static Response closing(Response r, HttpServerRequest request) {
        if (request != null && request.version() == HttpVersion.HTTP_2) {
            return r;
        }
        return Response.fromResponse(r).header("Connection", "close").build();
    }
}
