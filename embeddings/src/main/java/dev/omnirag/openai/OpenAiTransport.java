package dev.omnirag.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.http.client.sse.DefaultServerSentEventParser;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.omnirag.error.OmniragException.Kind;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The one HTTP client of OpenAI-protocol servers: sends a JSON body to {@code <baseUrl>/<path>} and reads a JSON
 * answer ({@link #post}) or a stream of server-sent events ({@link #stream}); the JDK's HTTP client carries the
 * bytes, LangChain4j's parser reads the events, Resilience4j retries and breaks the circuit.
 *
 * <p>One policy for every caller:
 * <ul>
 *   <li><b>Timeouts.</b> {@code connectTimeout} to open a connection; {@code readTimeout} for the answer's headers
 *       and, when streaming, between two events (a stalled stream fails after it). A call with its own deadline
 *       ({@link #post(String, JsonNode, Duration)}) waits at most that long and is not retried.</li>
 *   <li><b>Retries</b> ({@link Retry}). Refused connections, 408, 429 and 5xx answers, malformed answers and
 *       malformed first events are retried up to {@code maxRetries} times with exponential backoff and jitter
 *       ({@code retryBackoff} doubling, at most {@code maxBackoff}; a {@code Retry-After} is honoured up to that
 *       cap), but never once an event reached the caller (it would be handed on twice) and never after a timeout (a
 *       server that stalled once will most likely stall again; the caller falls back sooner).</li>
 *   <li><b>Circuit breaker</b> ({@link CircuitBreaker}). A call that still fails after its retries counts once; a
 *       4xx answer proves the server alive and counts as a success. {@code breakerFailureThreshold} failures in a
 *       row open it: calls then fail at once for {@code breakerOpenDuration}, then one trial call decides.</li>
 * </ul>
 * Failures are {@link TransportException}s whose messages name the server ({@code serverName} at its URL) and
 * quote its own error message; retriable ones are {@link Kind#UNAVAILABLE}.
 *
 * <p>Immutable and thread safe; blocking (calls wait on the calling thread, so never on an event loop).
 *
 * <p>Long because it is the one OpenAI transport: JSON and event-stream calls, retries, the circuit breaker,
 * cancellation and the error mapping live together so every client behaves the same.
 */
public final class OpenAiTransport implements AutoCloseable {

    private static final Object END = new Object();

    private final String baseUrl;
    private final String serverName;
    private final String apiKey;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration maxBackoff;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private volatile long openedAtNanos;

    private OpenAiTransport(Builder b) {
        this.baseUrl = b.baseUrl.endsWith("/") ? b.baseUrl.substring(0, b.baseUrl.length() - 1) : b.baseUrl;
        this.serverName = b.serverName;
        this.apiKey = b.apiKey;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.maxBackoff = b.maxBackoff;
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(b.retryBackoff, 2.0, 0.5, b.maxBackoff);
        this.retry = Retry.of(
                serverName + " " + baseUrl,
                RetryConfig.custom()
                        .maxAttempts(b.maxRetries + 1)
                        .retryOnException(t -> t instanceof TransportException e
                                && e.isRetriable()
                                && !e.timedOut()
                                && !(e.getCause() instanceof Committed))
                        .intervalBiFunction((attempt, outcome) -> {
                            if (outcome.isLeft()
                                    && outcome.getLeft() instanceof TransportException e
                                    && e.retryAfter() != null) {
                                return Math.min(e.retryAfter().toMillis(), maxBackoff.toMillis());
                            }
                            return backoff.apply(attempt);
                        })
                        .build());
        // N failures in a row: a count window of N calls, all failed. A half-open breaker lets one trial through.
        this.breaker = CircuitBreaker.of(
                serverName + " " + baseUrl,
                CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(b.breakerFailureThreshold)
                        .minimumNumberOfCalls(b.breakerFailureThreshold)
                        .failureRateThreshold(100f)
                        .waitDurationInOpenState(b.breakerOpenDuration)
                        .permittedNumberOfCallsInHalfOpenState(1)
                        .writableStackTraceEnabled(false)
                        .build());
        breaker.getEventPublisher().onStateTransition(e -> {
            if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                openedAtNanos = System.nanoTime();
            }
        });
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The server's base URL as configured, without a trailing slash, e.g. {@code http://vllm:8000/v1}. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The URL a call to {@code path} goes to: the base URL itself for an empty path. */
    public URI endpoint(String path) {
        return URI.create(path == null || path.isEmpty() ? baseUrl : baseUrl + "/" + path.replaceFirst("^/", ""));
    }

    /** The circuit breaker's state (for health reporting and tests). */
    public CircuitBreaker.State breakerState() {
        return breaker.getState();
    }

    /** The JSON mapper bodies and answers are read and written with. */
    public ObjectMapper json() {
        return json;
    }

    /** Posts {@code body} and returns the JSON answer, with the retry policy and a deadline of connect + read timeout. */
    public JsonNode post(String path, JsonNode body) {
        return call(path, body, false, null, connectTimeout.plus(readTimeout), true);
    }

    /**
     * Posts {@code body} with its own deadline and no retry: for a call whose caller has a fallback or a deadline of
     * its own (rewriting a follow-up question, judging a hit before the reranker's deadline).
     */
    public JsonNode post(String path, JsonNode body, Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive; timeout=" + timeout);
        }
        return call(path, body, false, null, timeout, false);
    }

    /**
     * Posts {@code body} and hands each event's JSON data to {@code onEvent}, on the calling thread, until
     * {@code [DONE]}. An exception thrown by {@code onEvent} stops the stream and propagates unchanged.
     */
    public void stream(String path, JsonNode body, Consumer<JsonNode> onEvent) {
        call(path, body, true, onEvent, connectTimeout.plus(readTimeout), true);
    }

    private JsonNode call(
            String path, JsonNode body, boolean stream, Consumer<JsonNode> onEvent, Duration timeout, boolean retries) {
        URI uri = endpoint(path);
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new TransportException(
                    Kind.FAILED,
                    "cannot write the request to the " + serverName + " as JSON: " + e.getOriginalMessage(),
                    e,
                    0,
                    false,
                    null);
        }
        try {
            breaker.acquirePermission();
        } catch (CallNotPermittedException e) {
            throw refused();
        }
        long start = System.nanoTime();
        AtomicInteger attempts = new AtomicInteger();
        boolean[] committed = {false};
        try {
            JsonNode result = retries
                    ? retry.executeSupplier(() -> attempt(uri, bytes, stream, onEvent, timeout, attempts, committed))
                    : attempt(uri, bytes, stream, onEvent, timeout, attempts, committed);
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return result;
        } catch (TransportException e) {
            if (e.serverAlive()) {
                breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            } else {
                breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            }
            TransportException reported = e.getCause() instanceof Committed c ? c.failure : e;
            throw reported.afterAttempts(attempts.get());
        } catch (RuntimeException | Error e) {
            // The caller's event handler threw: no verdict on the server.
            breaker.releasePermission();
            throw e;
        }
    }

    private JsonNode attempt(
            URI uri,
            byte[] body,
            boolean stream,
            Consumer<JsonNode> onEvent,
            Duration timeout,
            AtomicInteger attempts,
            boolean[] committed) {
        attempts.incrementAndGet();
        if (!stream) {
            return postOnce(uri, body, timeout);
        }
        try {
            streamOnce(uri, body, onEvent, committed);
            return null;
        } catch (TransportException e) {
            if (committed[0]) {
                // Events already reached the caller: wrapped so the retry predicate sees it must not run again.
                throw new TransportException(
                        e.kind(), e.getMessage(), new Committed(e), e.status(), e.timedOut(), null);
            }
            throw e;
        }
    }

    /** Marks a stream failure after events reached the caller (never retried); carries the original failure. */
    private static final class Committed extends RuntimeException {
        final TransportException failure;

        Committed(TransportException failure) {
            super(null, null, false, false);
            this.failure = failure;
        }
    }

    private TransportException refused() {
        if (breaker.getState() == CircuitBreaker.State.HALF_OPEN) {
            return new TransportException(
                    Kind.UNAVAILABLE,
                    "circuit breaker half-open: a trial call to the " + serverName + " at " + baseUrl
                            + " is in progress",
                    null,
                    0,
                    false,
                    null);
        }
        long waitMs = breaker.getCircuitBreakerConfig()
                .getWaitIntervalFunctionInOpenState()
                .apply(1);
        long left = Math.max(0, waitMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openedAtNanos));
        return new TransportException(
                Kind.UNAVAILABLE,
                "circuit breaker open: the " + serverName + " at " + baseUrl
                        + " failed " + breaker.getCircuitBreakerConfig().getMinimumNumberOfCalls()
                        + " times in a row; next try in "
                        + left + " ms",
                null,
                0,
                false,
                null);
    }

    private HttpRequest request(URI uri, byte[] body, boolean stream, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", stream ? "text/event-stream" : "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return b.build();
    }

    private JsonNode postOnce(URI uri, byte[] body, Duration timeout) {
        HttpResponse<String> response = await(
                http.sendAsync(
                        request(uri, body, false, timeout), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)),
                timeout);
        if (response.statusCode() != 200) {
            throw statusFailure(
                    response.statusCode(), response.body(), response.headers().firstValue("Retry-After"));
        }
        try {
            JsonNode answer = json.readTree(response.body());
            if (answer == null || answer.isMissingNode()) {
                throw new TransportException(
                        Kind.UNAVAILABLE,
                        "the " + serverName + " at " + baseUrl + " answered with an empty body",
                        null,
                        0,
                        false,
                        null);
            }
            return answer;
        } catch (JsonProcessingException e) {
            throw new TransportException(
                    Kind.UNAVAILABLE,
                    "the " + serverName + " at " + baseUrl + " answered with malformed JSON: "
                            + abbreviate(response.body()),
                    e,
                    0,
                    false,
                    null);
        }
    }

    private void streamOnce(URI uri, byte[] body, Consumer<JsonNode> onEvent, boolean[] committed) {
        Duration headTimeout = connectTimeout.plus(readTimeout);
        HttpResponse<InputStream> response = await(
                http.sendAsync(request(uri, body, true, headTimeout), HttpResponse.BodyHandlers.ofInputStream()),
                headTimeout);
        InputStream in = response.body();
        try {
            if (response.statusCode() != 200) {
                throw statusFailure(
                        response.statusCode(), errorBody(in), response.headers().firstValue("Retry-After"));
            }
            BlockingQueue<Object> events = new LinkedBlockingQueue<>();
            Thread.ofVirtual().name("sse-" + serverName).start(() -> {
                try {
                    new DefaultServerSentEventParser().parse(in, new ServerSentEventListener() {
                        @Override
                        public void onEvent(ServerSentEvent event) {
                            events.add(event);
                        }

                        @Override
                        public void onError(Throwable t) {
                            events.add(t);
                        }
                    });
                } finally {
                    events.add(END); // the parser returns at the end of the body (or when it is closed)
                }
            });
            while (true) {
                Object item = next(events);
                if (item == null) {
                    throw new TransportException(
                            Kind.UNAVAILABLE,
                            "the " + serverName + " at " + baseUrl + " sent nothing for " + readTimeout.toMillis()
                                    + " ms (read timeout) in the middle of a stream",
                            null,
                            0,
                            true,
                            null);
                }
                if (item == END) {
                    throw new TransportException(
                            Kind.UNAVAILABLE,
                            "the " + serverName + " at " + baseUrl + " ended the stream without [DONE]",
                            null,
                            0,
                            false,
                            null);
                }
                if (item instanceof Throwable t) {
                    throw transportFailure(t, headTimeout);
                }
                String data = ((ServerSentEvent) item).data();
                if (data == null || data.isEmpty()) {
                    continue;
                }
                if (data.equals("[DONE]")) {
                    return;
                }
                onEvent.accept(event(data, committed));
            }
        } finally {
            try {
                in.close();
            } catch (IOException e) {
                // Closing only stops the reader; nothing to report.
            }
        }
    }

    /** One event's data as a JSON object; marks the stream committed (the caller is about to receive it). */
    private JsonNode event(String data, boolean[] committed) {
        JsonNode event;
        try {
            event = json.readTree(data);
        } catch (JsonProcessingException e) {
            throw new TransportException(
                    Kind.UNAVAILABLE,
                    "the " + serverName + " at " + baseUrl + " sent a malformed chunk: " + abbreviate(data) + " ("
                            + e.getOriginalMessage() + ")",
                    null,
                    0,
                    false,
                    null);
        }
        if (event == null || !event.isObject()) {
            throw new TransportException(
                    Kind.UNAVAILABLE,
                    "the " + serverName + " at " + baseUrl + " sent a chunk that is not a JSON object: "
                            + abbreviate(data),
                    null,
                    0,
                    false,
                    null);
        }
        if (event.has("error")) {
            throw new TransportException(
                    Kind.UNAVAILABLE,
                    "the " + serverName + " at " + baseUrl + " reported an error mid-stream: "
                            + errorMessage(event.get("error")),
                    null,
                    0,
                    false,
                    null);
        }
        committed[0] = true;
        return event;
    }

    private Object next(BlockingQueue<Object> events) {
        try {
            return events.poll(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException(
                    Kind.UNAVAILABLE,
                    "interrupted while reading the stream of the " + serverName + " at " + baseUrl,
                    e,
                    0,
                    true,
                    null);
        }
    }

    /** The start of an error answer's body, read for at most the read timeout. */
    private String errorBody(InputStream in) {
        CompletableFuture<String> read = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return new String(in.readNBytes(8192), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        return "";
                    }
                },
                r -> Thread.ofVirtual().start(r));
        try {
            return read.get(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private <T> HttpResponse<T> await(CompletableFuture<HttpResponse<T>> exchange, Duration timeout) {
        try {
            return exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw timedOut(timeout, null);
        } catch (ExecutionException e) {
            throw transportFailure(e.getCause(), timeout);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new TransportException(
                    Kind.UNAVAILABLE,
                    "interrupted while waiting for the " + serverName + " at " + baseUrl,
                    e,
                    0,
                    true,
                    null);
        } catch (CancellationException e) {
            throw new TransportException(
                    Kind.UNAVAILABLE,
                    "the call to the " + serverName + " at " + baseUrl + " was cancelled",
                    e,
                    0,
                    true,
                    null);
        }
    }

    private TransportException timedOut(Duration timeout, Throwable cause) {
        return new TransportException(
                Kind.UNAVAILABLE,
                "the " + serverName + " at " + baseUrl + " did not answer within " + timeout.toMillis()
                        + " ms (read timeout)",
                cause,
                0,
                true,
                null);
    }

    private TransportException transportFailure(Throwable t, Duration timeout) {
        Throwable cause = t;
        while ((cause instanceof ExecutionException
                        || cause instanceof CompletionException
                        || (cause instanceof IOException && cause.getCause() instanceof ConnectException))
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof TransportException e) {
            return e;
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new TransportException(
                    Kind.UNAVAILABLE,
                    "cannot connect to the " + serverName + " at " + baseUrl + " within " + connectTimeout.toMillis()
                            + " ms",
                    cause,
                    0,
                    false,
                    null);
        }
        if (cause instanceof HttpTimeoutException) {
            return timedOut(timeout, cause);
        }
        if (cause instanceof ConnectException) {
            return new TransportException(
                    Kind.UNAVAILABLE,
                    "cannot connect to the " + serverName + " at " + baseUrl + ": connection refused",
                    cause,
                    0,
                    false,
                    null);
        }
        String why = cause.getMessage() == null || cause.getMessage().isBlank()
                ? "the connection closed"
                : cause.getMessage();
        return new TransportException(
                Kind.UNAVAILABLE,
                "the connection to the " + serverName + " at " + baseUrl + " failed: " + why,
                cause,
                0,
                false,
                null);
    }

    private TransportException statusFailure(int status, String body, Optional<String> retryAfter) {
        String message =
                "the " + serverName + " at " + baseUrl + " answered HTTP " + status + ": " + errorMessage(parse(body));
        boolean retriable = status == 408 || status == 429 || status >= 500;
        Duration after = retryAfter
                .map(v -> {
                    try {
                        return Duration.ofSeconds(Long.parseLong(v.strip()));
                    } catch (NumberFormatException e) {
                        return null; // an HTTP date: the computed backoff applies
                    }
                })
                .orElse(null);
        return new TransportException(retriable ? Kind.UNAVAILABLE : Kind.FAILED, message, null, status, false, after);
    }

    private JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : json.readTree(body);
        } catch (JsonProcessingException e) {
            return json.getNodeFactory().textNode(body);
        }
    }

    /** The human part of an error body: OpenAI's {@code error.message}, else {@code message}/{@code detail}. */
    private static String errorMessage(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "(no body)";
        }
        if (node.isTextual()) {
            return abbreviate(node.asText());
        }
        JsonNode error = node.has("error") ? node.get("error") : node;
        if (error.isTextual()) {
            return abbreviate(error.asText());
        }
        for (String field : List.of("message", "detail")) {
            if (error.hasNonNull(field)) {
                return abbreviate(error.get(field).asText());
            }
        }
        return abbreviate(node.toString());
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() <= 300 ? t : t.substring(0, 300) + "...";
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "OpenAiTransport[" + serverName + " at " + baseUrl + "]";
    }

    /** Builds an {@link OpenAiTransport}; only the base URL is required. */
    public static final class Builder {
        private String baseUrl;
        private String serverName = "model server";
        private String apiKey;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(60);
        private int maxRetries = 2;
        private Duration retryBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(8);
        private int breakerFailureThreshold = 5;
        private Duration breakerOpenDuration = Duration.ofSeconds(30);

        private Builder() {}

        /** The server's base URL with the version path ({@code http://vllm:8000/v1}), or an endpoint itself. Required. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /** What the server is, for messages: "the &lt;serverName&gt; at &lt;url&gt; answered ...". Default "model server". */
        public Builder serverName(String serverName) {
            this.serverName = serverName;
            return this;
        }

        /** Sent as {@code Authorization: Bearer <key>}; null or blank sends none. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
            return this;
        }

        /** Longest wait to open a connection. Default 5 s. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** Longest wait for the answer's headers, and between two events of a stream. Default 60 s. */
        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
            return this;
        }

        /** Retries after the first attempt, 0..10. Default 2. */
        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        /** Backoff before the first retry; doubles for each further one. Default 500 ms. */
        public Builder retryBackoff(Duration retryBackoff) {
            this.retryBackoff = retryBackoff;
            return this;
        }

        /** Longest backoff, also the cap on a server's Retry-After. Default 8 s. */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
            return this;
        }

        /** Consecutive failed calls that open the circuit breaker, 1..1000. Default 5. */
        public Builder breakerFailureThreshold(int breakerFailureThreshold) {
            this.breakerFailureThreshold = breakerFailureThreshold;
            return this;
        }

        /** How long the open breaker refuses calls before a trial. Default 30 s. */
        public Builder breakerOpenDuration(Duration breakerOpenDuration) {
            this.breakerOpenDuration = breakerOpenDuration;
            return this;
        }

        public OpenAiTransport build() {
            if (baseUrl == null || baseUrl.isBlank()) {
                throw new IllegalArgumentException(
                        "baseUrl is required, e.g. http://localhost:8000/v1; baseUrl=" + quoted(baseUrl));
            }
            URI uri;
            try {
                uri = URI.create(baseUrl);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("baseUrl must be an http(s) URL; baseUrl=" + quoted(baseUrl), e);
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("baseUrl must be an http(s) URL; baseUrl=" + quoted(baseUrl));
            }
            if (serverName == null || serverName.isBlank()) {
                throw new IllegalArgumentException("serverName must not be blank; serverName=" + quoted(serverName));
            }
            requirePositive("connectTimeout", connectTimeout);
            requirePositive("readTimeout", readTimeout);
            requirePositive("retryBackoff", retryBackoff);
            requirePositive("maxBackoff", maxBackoff);
            requirePositive("breakerOpenDuration", breakerOpenDuration);
            if (maxRetries < 0 || maxRetries > 10) {
                throw new IllegalArgumentException("maxRetries must be in 0..10; maxRetries=" + maxRetries);
            }
            if (breakerFailureThreshold < 1 || breakerFailureThreshold > 1000) {
                throw new IllegalArgumentException(
                        "breakerFailureThreshold must be in 1..1000; breakerFailureThreshold="
                                + breakerFailureThreshold);
            }
            return new OpenAiTransport(this);
        }

        private static String quoted(String s) {
            return s == null ? "null" : "\"" + s + "\"";
        }

        private static void requirePositive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be a positive duration; " + name + "=" + d);
            }
        }
    }
}
