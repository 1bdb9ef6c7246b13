package dev.omnirag.server.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Limits on HTTP requests other than uploads (those are {@link IngestConfig#maxUploadSize()}). */
@ConfigMapping(prefix = "omnirag.http")
public interface HttpConfig {

    /** The default of {@link #maxJsonBody()}, also read by {@link BodyLimitConfigSourceFactory}. */
    String DEFAULT_MAX_JSON_BODY = "16M";

    /**
     * Largest body of a request that is not a multipart upload (JSON, form fields): 413 from its
     * {@code Content-Length} before it is read, and 413 as soon as this many bytes have arrived when there is no
     * {@code Content-Length} (HTTP/2). An HTTP/1.1 body without one (chunked) gets 411.
     */
    @WithDefault(DEFAULT_MAX_JSON_BODY)
    MemorySize maxJsonBody();

    /**
     * Memory all JSON bodies being read and parsed at once may take, together. Each request reserves four times its
     * {@code Content-Length} (what parsing it may take) before its body is read, or four times
     * {@code max-json-body} when the length is unknown; when the budget is spent, requests get 503 with
     * {@code Retry-After} and are not read. Unset: a quarter of the JVM's maximum heap.
     */
    Optional<MemorySize> bodyMemory();

    /**
     * Longest time a JSON body may take to arrive, counted from when its request reached a resource; a slower one
     * gets 408 and its connection is closed (slow senders cannot hold threads and memory). Uploads have
     * {@code omnirag.ingest.upload-timeout}.
     */
    @WithDefault("30s")
    Duration bodyReadTimeout();

    /**
     * The address people reach this server at, such as {@code https://rag.example.com}: links in chat answers
     * (citations to original files) are built on it. Unset: the address the request arrived at on this machine
     * (its local IP and port), or the forwarded headers when {@link #trustForwarded()}; never the request's own
     * {@code Host} header, which any client can set.
     */
    Optional<java.net.URI> publicUrl();

    /**
     * Whether the {@code Forwarded} ({@code host=}, {@code proto=}) and {@code X-Forwarded-Host}/{@code
     * X-Forwarded-Proto} headers name the address people reach this server at, when no public URL is set. Turn on
     * only behind a proxy that sets (and overwrites) them: otherwise any client chooses where the links of its
     * answers point.
     */
    @WithDefault("false")
    boolean trustForwarded();

    /** Cross-origin requests from browsers (web apps served elsewhere that call this API). */
    Cors cors();

    /** CORS, applied by Quarkus' CORS filter ({@link CorsConfigSourceFactory} derives its keys from these). */
    interface Cors {
        /**
         * Origins whose web pages may call the API from a browser ({@code https://chat.example.com}; an entry in
         * slashes is a regular expression). Unset: CORS off, browsers allow same-origin calls only. Preflight
         * requests are answered without a key; the calls themselves still need one.
         */
        Optional<java.util.List<String>> origins();
    }
}
