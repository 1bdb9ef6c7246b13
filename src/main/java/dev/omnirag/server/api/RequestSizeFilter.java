package dev.omnirag.server.api;

import dev.omnirag.server.config.IngestConfig;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses oversized bodies from their Content-Length before they are read: uploads beyond
 * {@code omnirag.ingest.max-upload-size} (plus room for the multipart envelope), other bodies beyond 16 MiB.
 */
public class RequestSizeFilter {

    private static final long MULTIPART_SLACK = 64 * 1024;
    private static final long MAX_JSON = 16L * 1024 * 1024;

    private final IngestConfig config;

    RequestSizeFilter(IngestConfig config) {
        this.config = config;
    }

    @ServerRequestFilter(preMatching = true)
    public Response check(HttpServerRequest request) {
        String header = request.getHeader("Content-Length");
        if (header == null) {
            return null;
        }
        long length;
        try {
            length = Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return Problem.response(400, "Content-Length is not a number: " + header, request.path());
        }
        String type = request.getHeader("Content-Type");
        boolean upload = type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/");
        long limit = upload ? config.maxUploadSize().asLongValue() + MULTIPART_SLACK : MAX_JSON;
        if (length > limit) {
            String detail = upload
                    ? "upload is " + length + " bytes; the limit is " + config.maxUploadSize().asLongValue()
                            + " bytes (omnirag.ingest.max-upload-size)"
                    : "request body is " + length + " bytes; the limit is " + MAX_JSON + " bytes";
            return Problem.response(413, detail, request.path());
        }
        return null;
    }
}
