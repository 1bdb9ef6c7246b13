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

    /** A chat client over {@code transport}, whose timeouts, retries and breaker apply to every call. */
    public OpenAiChatClient(OpenAiTransport transport) {
        this.transport = java.util.Objects.requireNonNull(transport, "transport must not be null");
    }

    /** A transport builder for a generator: its messages say "the generator at &lt;url&gt;". */
    public static OpenAiTransport.Builder transportBuilder() {
        return OpenAiTransport.builder().serverName("generator");
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
}
