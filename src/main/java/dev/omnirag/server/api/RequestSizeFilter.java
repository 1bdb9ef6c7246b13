package dev.omnirag.server.api;

import dev.omnirag.server.config.HttpConfig;
import dev.omnirag.server.config.IngestConfig;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses oversized bodies from their Content-Length before they are read: uploads beyond
 * {@code omnirag.ingest.max-upload-size} (plus room for the multipart envelope), other bodies beyond
 * {@code omnirag.http.max-json-body}. Non-upload bodies are read into memory, so one without a Content-Length
 * (chunked transfer encoding, whose size is unknown until it has been read) gets 411. Uploads stream to disk and
 * are checked again once stored.
 */
public class RequestSizeFilter {

    private static final long MULTIPART_SLACK = 64 * 1024;

    private final IngestConfig config;
    private final HttpConfig http;

    RequestSizeFilter(IngestConfig config, HttpConfig http) {
        this.config = config;
        this.http = http;
    }

    @ServerRequestFilter(preMatching = true)
    public Response check(HttpServerRequest request) {
        String type = request.getHeader("Content-Type");
        boolean upload = type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/");
        String header = request.getHeader("Content-Length");
        if (header == null) {
            String encoding = request.getHeader("Transfer-Encoding");
            if (!upload && encoding != null && hasBody(request.method())) {
                return Problem.response(411, "a request body of unknown length (Transfer-Encoding: " + encoding
                        + ") is not accepted; send Content-Length (at most " + http.maxJsonBody().asLongValue()
                        + " bytes, omnirag.http.max-json-body)", request.path());
            }
            return null;
        }
        long length;
        try {
            length = Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return Problem.response(400, "Content-Length is not a number: " + header, request.path());
        }
        long maxJson = http.maxJsonBody().asLongValue();
        long limit = upload ? config.maxUploadSize().asLongValue() + MULTIPART_SLACK : maxJson;
        if (length > limit) {
            String detail = upload
                    ? "upload is " + length + " bytes; the limit is " + config.maxUploadSize().asLongValue()
                            + " bytes (omnirag.ingest.max-upload-size)"
                    : "request body is " + length + " bytes; the limit is " + maxJson
                            + " bytes (omnirag.http.max-json-body)";
            return Problem.response(413, detail, request.path());
        }
        return null;
    }

    private static boolean hasBody(HttpMethod method) {
        return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
    }
}
