package dev.omnirag.server.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;

/** What a request says about its body before any of it is read. */
final class RequestBodies {

    private RequestBodies() {}

    /** Whether the request may carry a body: POST, PUT or PATCH without {@code Content-Length: 0}. */
    static boolean mayHaveBody(HttpServerRequest request) {
        HttpMethod m = request.method();
        return (m == HttpMethod.POST || m == HttpMethod.PUT || m == HttpMethod.PATCH) && declaredLength(request) != 0;
    }

    /** Whether the body is a multipart form (an upload, or an image query with form fields). */
    static boolean isMultipart(HttpServerRequest request) {
        String type = request.getHeader("Content-Type");
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/");
    }

    /** The declared Content-Length; -1 when there is none (chunked, HTTP/2 without one) or it is not a number. */
    static long declaredLength(HttpServerRequest request) {
        String header = request.getHeader("Content-Length");
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
