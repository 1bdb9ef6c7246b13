package dev.omnirag.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/**
 * The chunks of a streamed chat completion in OpenAI's shape ({@code chat.completion.chunk} with one choice), written
 * through {@link OpenAiEventStream}: deltas, raw chunks (relayed), a failure as OpenAI reports one mid-stream, and
 * {@code [DONE]}. Not thread safe: one producer writes one response.
 */
final class ChatChunks {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenAiEventStream events;
    private final String id;
    private final long created;
    private final String model;

    ChatChunks(OpenAiEventStream events, String id, long created, String model) {
        this.events = events;
        this.id = id;
        this.created = created;
        this.model = model;
    }

    ObjectNode chunk() {
        ObjectNode c = JSON.createObjectNode()
                .put("id", id)
                .put("object", "chat.completion.chunk")
                .put("created", created)
                .put("model", model);
        c.putArray("choices").addObject().put("index", 0).putNull("finish_reason");
        return c;
    }

    void delta(ObjectNode delta) {
        ObjectNode c = chunk();
        ((ObjectNode) c.withArray("choices").get(0)).set("delta", delta);
        write(c.toString());
    }

    void write(String data) {
        events.data(data);
    }

    /** OpenAI's way to fail a stream that has started: an event with an {@code error} object. */
    void error(RuntimeException e) {
        ProblemMapper.StreamFailure failure = ProblemMapper.streamFailure(e);
        ObjectNode error = JSON.createObjectNode();
        error.putObject("error")
                .put("message", failure.detail())
                .put("type", failure.retriable() ? "service_unavailable" : "server_error")
                .put("code", failure.status());
        try {
            write(error.toString());
        } catch (UncheckedIOException ignored) {
            // The client is gone; nothing to tell.
        }
    }

    void done() {
        events.done();
    }
}
