package dev.omnirag.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omnirag.generator.GenerationException;
import dev.omnirag.generator.OpenAiChatClient;
import dev.omnirag.server.search.ChatBackend;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.UncheckedIOException;
import org.jboss.logging.Logger;

/**
 * {@code /v1/chat/completions} for a model name that is not {@code omnirag:<collection>}: the request goes to the
 * configured OpenAI-compatible generator server unchanged (with the server's own key), and its answer or stream comes
 * back as the server sent it. The prompt is priced against the caller's model-token budget first ({@link ModelCalls}).
 */
@ApplicationScoped
class ChatPassThrough {

    private static final Logger LOG = Logger.getLogger(ChatPassThrough.class);

    private final ChatBackend backend;
    private final ModelCalls models;

    ChatPassThrough(ChatBackend backend, ModelCalls models) {
        this.backend = backend;
        this.models = models;
    }

    /** The generator server's answer to {@code body}, streamed when {@code stream}. Blocking. */
    Response answer(String model, ObjectNode body, boolean stream) {
        if (backend.client().isEmpty()) {
            throw ApiException.modelNotFound("model '" + model + "' does not exist: this server has no generator model "
                    + "configured (omnirag.generator.kind=extractive); use omnirag:<collection> (see GET /v1/models)");
        }
        OpenAiChatClient client = backend.client().get();
        // The prompt the generator reads, priced before it is sent (the server's own key pays upstream).
        long cost = ModelCalls.tokens(body.path("messages").toString(), 0);
        if (!stream) {
            try {
                return models.run(
                        "a chat completion",
                        cost,
                        () -> Response.ok(client.complete(body).toString(), MediaType.APPLICATION_JSON_TYPE)
                                .build());
            } catch (GenerationException e) {
                throw upstream(e);
            }
        }
        models.run("a streamed chat completion", cost, () -> null);
        return OpenAiEventStream.response(events -> {
            ChatChunks chunks = new ChatChunks(events, null, 0, model);
            try {
                client.stream(body, chunk -> chunks.write(chunk.toString()));
            } catch (GenerationException e) {
                LOG.warnf("Pass-through stream to the generator failed: %s", e.getMessage());
                chunks.error(e);
            } catch (UncheckedIOException e) {
                LOG.debugf("The client of a pass-through stream went away: %s", e.getMessage());
                return;
            }
            chunks.done();
        });
    }

    /**
     * A generator failure of a call the client shaped (pass-through or relay): 503 when it may pass (ProblemMapper),
     * 400 when the server refused the request.
     */
    static RuntimeException upstream(GenerationException e) {
        if (e.isRetriable()) {
            return e;
        }
        String message = String.valueOf(e.getMessage());
        // vLLM and SGLang say "maximum context length"; OpenAI clients trim on this code.
        String code = message.toLowerCase(java.util.Locale.ROOT).contains("context length")
                ? "context_length_exceeded"
                : null;
        return new ApiException(
                400, "the generator refused the request: " + message, code, code == null ? null : "messages");
    }
}
