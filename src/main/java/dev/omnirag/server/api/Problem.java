package dev.omnirag.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * An RFC 9457 problem document. {@code error} repeats the problem in OpenAI's error shape so OpenAI client
 * libraries show the detail too.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, Map<String, Object> error) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Response response(int status, String detail, String instance) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : titleFor(status);
        Map<String, Object> openAi = Map.of("message", detail == null ? title : detail,
                "type", status >= 500 ? "server_error" : "invalid_request_error",
                "code", title.toLowerCase(java.util.Locale.ROOT).replace(' ', '_'));
        return Response.status(status)
                .type(MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status, detail, instance, openAi))
                .build();
    }

    private static String titleFor(int status) {
        return switch (status) {
            case 422 -> "Unprocessable Content";
            case 413 -> "Content Too Large";
            case 429 -> "Too Many Requests";
            default -> "HTTP " + status;
        };
    }
}
