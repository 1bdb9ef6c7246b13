package dev.omnirag.generator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omnirag.openai.OpenAiTransport;
import dev.omnirag.openai.TransportException;
import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A client of the OpenAI chat completions protocol ({@code POST <base>/chat/completions}) as served by vLLM,
 * SGLang, llama.cpp, Ollama and OpenAI: the chat face of the one {@link OpenAiTransport}, whose timeouts, retries
 * (never once part of a stream reached the caller) and circuit breaker apply.
 *
 * <p>Failures: {@link GenerationException.Retriable} for an unreachable, overloaded, slow or misbehaving server
 * (and while the breaker is open), {@link GenerationException.NonRetriable} for a 4xx answer (bad model name, prompt
 * too long, bad key), with the server's message.
 *
 * <p>Immutable and thread safe; blocking (calls wait on the calling thread, so never on an event loop).
 */
public final class OpenAiChatClient {

    private final OpenAiTransport transport;

    private OpenAiChatClient(OpenAiTransport transport) {
        this.transport = transport;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The server's base URL, e.g. {@code http://vllm:8000/v1}. */
    public URI baseUrl() {
        return URI.create(transport.baseUrl());
    }

    /** The transport the calls go through (its breaker state for health reporting). */
    public OpenAiTransport transport() {
        return transport;
    }

    /** The JSON mapper requests and chunks are read and written with. */
    public ObjectMapper json() {
        return transport.json();
    }

    /**
     * Streams a chat completion: sends {@code body} with {@code "stream": true} and hands each chunk (the JSON of
     * one {@code data:} event) to {@code onChunk}, on the calling thread, until {@code [DONE]}. An exception
     * thrown by {@code onChunk} stops the stream and propagates unchanged.
     */
    public void stream(ObjectNode body, Consumer<JsonNode> onChunk) {
        ObjectNode request = body.deepCopy();
        request.put("stream", true);
        try {
            transport.stream("chat/completions", request, onChunk);
        } catch (TransportException e) {
            throw generationFailure(e);
        }
    }

    /** A non-streaming chat completion: sends {@code body} with {@code "stream": false}, returns the response. */
    public JsonNode complete(ObjectNode body) {
        ObjectNode request = body.deepCopy();
        request.put("stream", false);
        try {
            return transport.post("chat/completions", request);
        } catch (TransportException e) {
            throw generationFailure(e);
        }
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
        try {
            return transport.post("chat/completions", request, timeout);
        } catch (TransportException e) {
            throw generationFailure(e);
        }
    }

    private static GenerationException generationFailure(TransportException e) {
        return e.isRetriable()
                ? new GenerationException.Retriable(e.getMessage(), e)
                : new GenerationException.NonRetriable(e.getMessage(), e);
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

        private Builder() {}

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

        /** Builds the client; the transport's builder validates each parameter, naming it. */
        public OpenAiChatClient build() {
            return new OpenAiChatClient(OpenAiTransport.builder()
                    .serverName("generator")
                    .baseUrl(baseUrl)
                    .apiKey(apiKey)
                    .connectTimeout(connectTimeout)
                    .readTimeout(readTimeout)
                    .maxRetries(maxRetries)
                    .retryBackoff(retryBackoff)
                    .maxBackoff(maxBackoff)
                    .breakerFailureThreshold(breakerFailureThreshold)
                    .breakerOpenDuration(breakerOpenDuration)
                    .build());
        }
    }
}
