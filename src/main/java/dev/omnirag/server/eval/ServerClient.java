package dev.omnirag.server.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The evaluation and benchmark tools' client of a running server (the parsing evaluation, the ingestion benchmark,
 * the load test): JSON requests that must answer with an expected status, and multipart uploads of files, with an
 * API key when one is given. Over HTTP/1.1 with the JDK's client. Thread safe.
 */
final class ServerClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A file to upload: its name, media type and bytes. */
    record Upload(String filename, String contentType, byte[] bytes) {}

    private final URI base;
    private final String key;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param base the server's URL ({@code http://127.0.0.1:8080})
     * @param key the API key sent as a bearer token, or null (authentication off)
     * @param timeout each request's timeout
     */
    ServerClient(URI base, String key, Duration timeout) {
        this.base = base;
        this.key = key;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** The JSON answer of {@code method path} with {@code body} as JSON (null: none); another status fails. */
    JsonNode send(String method, String path, Object body, int expected) throws IOException, InterruptedException {
        return send(method, path, key, body, expected);
    }

    /** As {@link #send(String, String, Object, int)}, with this request's own key (null: none). */
    JsonNode send(String method, String path, String requestKey, Object body, int expected)
            throws IOException, InterruptedException {
        HttpResponse<String> r =
                http.send(request(method, path, requestKey, body), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IOException(
                    method + " " + path + " gave " + r.statusCode() + " (expected " + expected + "): " + r.body());
        }
        return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    }

    /** The request {@link #send} would make, for callers that read the answer themselves (streams, timings). */
    HttpRequest request(String method, String path, String requestKey, Object body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
        if (requestKey != null) {
            b.header("Authorization", "Bearer " + requestKey);
        }
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return b.build();
    }

    /**
     * Uploads {@code files} to a collection in one multipart request, one {@code file} part each; fails unless the
     * server accepts them all (200 or 202, and no per-file error when there are several).
     */
    void upload(String collection, List<Upload> files) throws IOException, InterruptedException {
        upload(collection, key, files);
    }

    /** As {@link #upload(String, List)}, with this request's own key (null: none). */
    void upload(String collection, String requestKey, List<Upload> files) throws IOException, InterruptedException {
        String boundary = "omnirag-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Upload f : files) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                            + f.filename() + "\"\r\nContent-Type: " + f.contentType() + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(f.bytes());
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/v1/collections/" + collection + "/documents"))
                .timeout(timeout)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (requestKey != null) {
            b.header("Authorization", "Bearer " + requestKey);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202 && r.statusCode() != 200) {
            throw new IOException("uploading "
                    + files.stream().map(Upload::filename).toList() + " gave " + r.statusCode() + ": " + r.body());
        }
        if (files.size() > 1 && r.body().contains("\"error\"")) {
            throw new IOException("some of " + files.size() + " files were refused: " + r.body());
        }
    }

    private static final java.util.regex.Pattern BACKLOG =
            java.util.regex.Pattern.compile("(?m)^omnirag_sentence_vectors_backlog(?:\\{[^}]*})? ([-0-9.eE+]+)$");

    /**
     * Waits until the server has made the extractive answer's sentence vectors of every chunk (its
     * {@code omnirag_sentence_vectors_backlog} gauge reads 0), as it does when idle after ingestion: a measurement then sees the
     * server as it is once they are made, not that idle work. Does not wait when the server does not make them (no gauge) or its
     * metrics cannot be read with this key.
     */
    void awaitSentenceVectors(String key) throws IOException, InterruptedException {
        long started = System.nanoTime();
        long reported = started;
        while (true) {
            HttpResponse<String> metrics =
                    http.send(request("GET", "/q/metrics", key, null), HttpResponse.BodyHandlers.ofString());
            java.util.regex.Matcher m = BACKLOG.matcher(metrics.body());
            if (metrics.statusCode() != 200 || !m.find()) {
                return;
            }
            double backlog = Double.parseDouble(m.group(1));
            long now = System.nanoTime();
            if (backlog == 0) {
                System.out.printf("sentence vectors: made for every chunk (waited %.1f s)%n", (now - started) / 1e9);
                return;
            }
            // Asked every 200 ms so that the wait is a measure of how fast they are made; said every 5 s.
            if (now - reported >= 5_000_000_000L) {
                reported = now;
                System.out.printf(
                        "  sentence vectors: %s chunk(s) left (the server makes them while idle)%n",
                        backlog < 0 ? "not counted yet;" : String.valueOf((long) backlog));
            }
            Thread.sleep(200);
        }
    }
}
