package dev.omnirag.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A client of the OpenAI chat completions protocol ({@code POST <base>/chat/completions}) as served by vLLM,
 * SGLang, llama.cpp, Ollama and OpenAI: JSON over HTTP, server-sent events when streaming. The JDK's HTTP
 * client, no SDK.
 *
 * <p>Resilience:
 * <ul>
 *   <li><b>Timeouts.</b> {@code connectTimeout} to open the connection; {@code readTimeout} for the response
 *       headers and, when streaming, between two pieces of data (a stalled stream fails after it).</li>
 *   <li><b>Retries.</b> Refused connections, 408, 429 and 5xx answers, and malformed first chunks are retried up
 *       to {@code maxRetries} times with exponential backoff and jitter ({@code retryBackoff} doubling, at most
 *       {@code maxBackoff}; a {@code Retry-After} of a 429/503 is honoured up to that cap), but only until the
 *       first chunk of a stream reached the caller: text already handed on is never produced twice. Timeouts
 *       are not retried (a server that stalled once will most likely stall again; the caller falls back
 *       sooner).</li>
 *   <li><b>Circuit breaker.</b> Calls that still fail count as one failure of the {@link CircuitBreaker}; while
 *       it is open calls fail at once.</li>
 * </ul>
 * Failures: {@link GenerationException.Retriable} for an unreachable, overloaded, slow or misbehaving server,
 * {@link GenerationException.NonRetriable} for a 4xx answer (bad model name, prompt too long, bad key), with the
 * server's message.
 *
 * <p>Immutable and thread safe; blocking (calls wait on the calling thread, so never on an event loop).
 */
public final class OpenAiChatClient {

    private static final Object END = new Object();

    private final URI baseUrl;
    private final String apiKey;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final int maxRetries;
    private final Duration retryBackoff;
    private final Duration maxBackoff;
    private final CircuitBreaker breaker;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    private OpenAiChatClient(Builder b) {
        String base = b.baseUrl.endsWith("/") ? b.baseUrl : b.baseUrl + "/";
        this.baseUrl = URI.create(base);
        this.apiKey = b.apiKey;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.maxRetries = b.maxRetries;
        this.retryBackoff = b.retryBackoff;
        this.maxBackoff = b.maxBackoff;
        this.breaker = new CircuitBreaker(b.baseUrl, b.breakerFailureThreshold, b.breakerOpenDuration);
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The server's base URL, e.g. {@code http://vllm:8000/v1/}. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** The breaker guarding the server (for health reporting). */
    public CircuitBreaker breaker() {
        return breaker;
    }

    /** The JSON mapper requests and chunks are read and written with. */
    public ObjectMapper json() {
        return json;
    }

    /**
     * Streams a chat completion: sends {@code body} with {@code "stream": true} and hands each chunk (the JSON of
     * one {@code data:} event) to {@code onChunk}, on the calling thread, until {@code [DONE]}. An exception
     * thrown by {@code onChunk} stops the stream and propagates unchanged.
     */
    public void stream(ObjectNode body, Consumer<JsonNode> onChunk) {
        ObjectNode request = body.deepCopy();
        request.put("stream", true);
        call(request, true, onChunk, connectTimeout.plus(readTimeout), maxRetries);
    }

    /** A non-streaming chat completion: sends {@code body} with {@code "stream": false}, returns the response. */
    public JsonNode complete(ObjectNode body) {
        ObjectNode request = body.deepCopy();
        request.put("stream", false);
        JsonNode[] result = new JsonNode[1];
        call(request, false, r -> result[0] = r, connectTimeout.plus(readTimeout), maxRetries);
        return result[0];
    }

    /**
     * A non-streaming chat completion with its own deadline and no retry: for a short helper call (such as rewriting
     * a follow-up question) whose caller has a fallback and would rather not wait.
     *
     * @throws GenerationException when the server fails or does not answer within {@code timeout}
     */
    public JsonNode complete(ObjectNode body, Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive; timeout=" + timeout);
        }
        ObjectNode request = body.deepCopy();
        request.put("stream", false);
        JsonNode[] result = new JsonNode[1];
        call(request, false, r -> result[0] = r, timeout, 0);
        return result[0];
    }

    private void call(ObjectNode request, boolean stream, Consumer<JsonNode> sink, Duration timeout, int retries) {
        breaker.acquire();
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new GenerationException.NonRetriable("cannot write the chat request as JSON: " + e.getMessage(), e);
        }
        boolean recorded = false;
        try {
            for (int attempt = 0; ; attempt++) {
                Progress progress = new Progress();
                try {
                    if (stream) {
                        streamOnce(bytes, sink, progress);
                    } else {
                        completeOnce(bytes, sink, timeout);
                    }
                    breaker.onSuccess();
                    recorded = true;
                    return;
                } catch (Failure f) {
                    boolean retry = f.retriable && !progress.committed && attempt < retries && !f.timeout;
                    if (!retry) {
                        if (f.serverAlive) {
                            breaker.onSuccess();
                        } else {
                            breaker.onFailure();
                        }
                        recorded = true;
                        String message = f.getMessage() + (attempt > 0 ? " (after " + (attempt + 1) + " attempts)" : "");
                        throw f.retriable ? new GenerationException.Retriable(message, f.getCause())
                                : new GenerationException.NonRetriable(message, f.getCause());
                    }
                    sleep(backoff(attempt, f.retryAfter));
                }
            }
        } finally {
            if (!recorded) {
                // The caller's chunk handler threw, or the backoff was interrupted: no verdict on the server.
                breaker.release();
            }
        }
    }

    /** Whether the caller already received part of the answer (then a retry would repeat it). */
    private static final class Progress {
        boolean committed;
    }

    private HttpRequest request(byte[] body, boolean stream, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(baseUrl.resolve("chat/completions"))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", stream ? "text/event-stream" : "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return b.build();
    }

    private void streamOnce(byte[] body, Consumer<JsonNode> sink, Progress progress) {
        Lines lines = new Lines();
        CompletableFuture<HttpResponse.ResponseInfo> head = new CompletableFuture<>();
        CompletableFuture<HttpResponse<Void>> exchange = http.sendAsync(request(body, true, connectTimeout.plus(readTimeout)), info -> {
            head.complete(info);
            return HttpResponse.BodySubscribers.fromLineSubscriber(lines);
        });
        exchange.whenComplete((r, t) -> {
            if (t != null) {
                head.completeExceptionally(t);
                lines.onError(t);
            }
        });
        try {
            HttpResponse.ResponseInfo info = awaitHead(head);
            if (info.statusCode() != 200) {
                String error = lines.drain(readTimeout);
                throw statusFailure(info.statusCode(), error, info.headers().firstValue("Retry-After"));
            }
            StringBuilder data = new StringBuilder();
            while (true) {
                Object item = lines.next(readTimeout);
                if (item == null) {
                    throw new Failure("the generator at " + baseUrl + " sent nothing for " + readTimeout.toMillis()
                            + " ms (read timeout) in the middle of a stream", true, false).timeout();
                }
                if (item == END) {
                    throw new Failure("the generator at " + baseUrl + " ended the stream without [DONE]", true, false);
                }
                if (item instanceof Throwable t) {
                    throw transportFailure(t);
                }
                String line = (String) item;
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        if (dispatch(data.toString(), sink, progress)) {
                            return;
                        }
                        data.setLength(0);
                    }
                } else if (line.startsWith("data:")) {
                    String value = line.substring(5);
                    if (value.startsWith(" ")) {
                        value = value.substring(1);
                    }
                    if (!data.isEmpty()) {
                        data.append('\n');
                    }
                    data.append(value);
                    // Some servers do not put a blank line after [DONE] before closing.
                    if (data.toString().equals("[DONE]")) {
                        return;
                    }
                }
                // Comments (":" keep-alives), "event:", "id:" and "retry:" lines carry nothing for chat.
            }
        } finally {
            lines.cancel();
            exchange.cancel(true);
        }
    }

    /** Hands one event's data to the sink; true at the end of the stream. */
    private boolean dispatch(String data, Consumer<JsonNode> sink, Progress progress) {
        if (data.equals("[DONE]")) {
            return true;
        }
        JsonNode chunk;
        try {
            chunk = json.readTree(data);
        } catch (JsonProcessingException e) {
            throw new Failure("the generator at " + baseUrl + " sent a malformed chunk: "
                    + abbreviate(data) + " (" + e.getOriginalMessage() + ")", true, false);
        }
        if (chunk == null || !chunk.isObject()) {
            throw new Failure("the generator at " + baseUrl + " sent a chunk that is not a JSON object: "
                    + abbreviate(data), true, false);
        }
        if (chunk.has("error")) {
            throw new Failure("the generator at " + baseUrl + " reported an error mid-stream: "
                    + errorMessage(chunk.get("error")), true, false);
        }
        progress.committed = true;
        sink.accept(chunk);
        return false;
    }

    private void completeOnce(byte[] body, Consumer<JsonNode> sink, Duration timeout) {
        CompletableFuture<HttpResponse<String>> exchange = http.sendAsync(request(body, false, timeout),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> response;
        try {
            response = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new Failure("the generator at " + baseUrl + " did not answer within " + timeout.toMillis()
                    + " ms (read timeout)", true, false).timeout();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof java.net.http.HttpTimeoutException) {
                // The request's own timeout (the same deadline) fired first: the same failure, with this deadline.
                throw new Failure("the generator at " + baseUrl + " did not answer within " + timeout.toMillis()
                        + " ms (read timeout)", true, false).timeout();
            }
            throw transportFailure(e.getCause());
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while waiting for the generator at " + baseUrl, true, false).timeout();
        }
        if (response.statusCode() != 200) {
            throw statusFailure(response.statusCode(), response.body(), response.headers().firstValue("Retry-After"));
        }
        JsonNode result;
        try {
            result = json.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new Failure("the generator at " + baseUrl + " answered with malformed JSON: "
                    + abbreviate(response.body()), true, false);
        }
        sink.accept(result);
    }

    private HttpResponse.ResponseInfo awaitHead(CompletableFuture<HttpResponse.ResponseInfo> head) {
        try {
            return head.get(connectTimeout.plus(readTimeout).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new Failure("the generator at " + baseUrl + " did not answer within "
                    + connectTimeout.plus(readTimeout).toMillis() + " ms (read timeout)", true, false).timeout();
        } catch (ExecutionException e) {
            throw transportFailure(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while waiting for the generator at " + baseUrl, true, false).timeout();
        } catch (CancellationException e) {
            throw new Failure("the call to the generator at " + baseUrl + " was cancelled", true, false).timeout();
        }
    }

    private Failure transportFailure(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof ExecutionException || cause instanceof java.util.concurrent.CompletionException
                || (cause instanceof IOException && cause.getCause() instanceof ConnectException))
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new Failure("cannot connect to the generator at " + baseUrl + " within " + connectTimeout.toMillis()
                    + " ms", true, false, cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return new Failure("the generator at " + baseUrl + " did not answer within "
                    + connectTimeout.plus(readTimeout).toMillis() + " ms (read timeout)", true, false, cause).timeout();
        }
        if (cause instanceof ConnectException) {
            return new Failure("cannot connect to the generator at " + baseUrl + ": connection refused", true, false, cause);
        }
        return new Failure("the connection to the generator at " + baseUrl + " failed: " + cause, true, false, cause);
    }

    private Failure statusFailure(int status, String body, Optional<String> retryAfter) {
        String message = "the generator at " + baseUrl + " answered HTTP " + status + ": " + errorMessage(parse(body));
        boolean retriable = status == 408 || status == 429 || status >= 500;
        Failure f = new Failure(message, retriable, !retriable);
        retryAfter.ifPresent(v -> {
            try {
                f.retryAfter = Duration.ofSeconds(Long.parseLong(v.strip()));
            } catch (NumberFormatException e) {
                // An HTTP date: fall back to the computed backoff.
            }
        });
        return f;
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
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    private Duration backoff(int attempt, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter.compareTo(maxBackoff) > 0 ? maxBackoff : retryAfter;
        }
        long base = retryBackoff.toMillis() << Math.min(attempt, 20);
        long capped = Math.min(base, maxBackoff.toMillis());
        // Equal jitter: half fixed, half random, so clients that failed together do not retry together.
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenerationException.Retriable("interrupted while backing off before a retry", e);
        }
    }

    /** One attempt's failure, before it becomes a {@link GenerationException}. */
    private static final class Failure extends RuntimeException {
        final boolean retriable;
        final boolean serverAlive;
        boolean timeout;
        Duration retryAfter;

        Failure(String message, boolean retriable, boolean serverAlive) {
            this(message, retriable, serverAlive, null);
        }

        Failure(String message, boolean retriable, boolean serverAlive, Throwable cause) {
            super(message, cause, false, false);
            this.retriable = retriable;
            this.serverAlive = serverAlive;
        }

        Failure timeout() {
            timeout = true;
            return this;
        }
    }

    /** Receives the response body line by line from the HTTP client's thread; read with a timeout. */
    private static final class Lines implements Flow.Subscriber<String> {
        private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        private volatile Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            queue.add(line);
        }

        @Override
        public void onError(Throwable t) {
            queue.add(t);
        }

        @Override
        public void onComplete() {
            queue.add(END);
        }

        /** The next line, {@link #END}, a Throwable, or null when nothing came within the timeout. */
        Object next(Duration timeout) {
            try {
                return queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Failure("interrupted while reading the generator's stream", true, false).timeout();
            }
        }

        /** The rest of the body as text (an error response), waiting at most the timeout. */
        String drain(Duration timeout) {
            StringBuilder sb = new StringBuilder();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (sb.length() < 8192) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                Object item = next(Duration.ofNanos(left));
                if (item == null || item == END || item instanceof Throwable) {
                    break;
                }
                sb.append(item).append('\n');
            }
            return sb.toString();
        }

        void cancel() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }

    /** Builds an {@link OpenAiChatClient}; only the base URL is required. */
    public static final class Builder {
        private String baseUrl;
        private String apiKey;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(60);
        private int maxRetries = 2;
        private Duration retryBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(8);
        private int breakerFailureThreshold = 5;
        private Duration breakerOpenDuration = Duration.ofSeconds(30);

        private Builder() {
        }

        /** The server's OpenAI base URL, with the version path: {@code http://vllm:8000/v1}. Required. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
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

        /** Longest wait for the response headers, and between two pieces of a stream. Default 60 s. */
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

        public OpenAiChatClient build() {
            if (baseUrl == null || baseUrl.isBlank()) {
                throw new IllegalArgumentException("baseUrl is required, e.g. http://localhost:8000/v1; baseUrl="
                        + Source.quoted(baseUrl));
            }
            URI uri;
            try {
                uri = URI.create(baseUrl);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("baseUrl must be an http(s) URL; baseUrl=" + Source.quoted(baseUrl), e);
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("baseUrl must be an http(s) URL; baseUrl=" + Source.quoted(baseUrl));
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
                throw new IllegalArgumentException("breakerFailureThreshold must be in 1..1000; breakerFailureThreshold="
                        + breakerFailureThreshold);
            }
            return new OpenAiChatClient(this);
        }

        private static void requirePositive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be a positive duration; " + name + "=" + d);
            }
        }
    }
}
