package dev.omnirag.server.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Server-sent events framed byte for byte as OpenAI frames them ({@code data: {...}}, optionally after
 * {@code event: <type>}, each event flushed as it is written), for the OpenAI-compatible routes: chat completions and
 * responses. Omnirag's own event streams (jobs, imports, {@code ask}) are JAX-RS {@code Multi<OutboundSseEvent>};
 * this is the one other SSE style, kept because clients written against OpenAI (and their hand-written parsers)
 * expect OpenAI's exact framing, which the JAX-RS writer does not produce (it writes {@code data:} without the space).
 *
 * <p>Not thread safe: one producer writes one response.
 */
final class OpenAiEventStream {

    private final OutputStream os;

    private OpenAiEventStream(OutputStream os) {
        this.os = os;
    }

    /**
     * A {@code text/event-stream} response whose events {@code body} writes on a worker thread as it produces them.
     * Headers keep proxies from buffering the stream.
     */
    static Response response(Consumer<OpenAiEventStream> body) {
        StreamingOutput output = os -> body.accept(new OpenAiEventStream(os));
        return Response.ok(output, MediaType.SERVER_SENT_EVENTS_TYPE)
                .header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no")
                .build();
    }

    /**
     * Writes {@code data: <data>} and flushes.
     *
     * @throws UncheckedIOException when the client went away
     */
    void data(String data) {
        write("data: " + data + "\n\n");
    }

    /** Writes {@code event: <type>} with {@code data: <data>} and flushes; {@link UncheckedIOException} as in {@link #data}. */
    void event(String type, String data) {
        write("event: " + type + "\ndata: " + data + "\n\n");
    }

    /** The end of a chat completion stream, {@code data: [DONE]}; a client that went away is not told. */
    void done() {
        try {
            data("[DONE]");
        } catch (UncheckedIOException e) {
            // The client is gone.
        }
    }

    private void write(String frame) {
        try {
            os.write(frame.getBytes(StandardCharsets.UTF_8));
            os.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the client went away", e);
        }
    }
}
