package dev.omnirag.server.search;

import dev.omnirag.generator.OpenAiChatClient;
import java.util.Optional;

/**
 * The OpenAI-compatible model server behind the generator, when one is configured
 * ({@code omnirag.generator.kind=openai}): the LLM generator, {@code /v1/chat/completions} for other model names
 * and {@code /v1/models} use it. Built by {@code GeneratorProducers}.
 *
 * @param client the protocol client (retries, timeouts, circuit breaker); empty with the extractive generator
 * @param model  the model it serves; present exactly when the client is
 * @param vision whether the model takes images
 */
public record ChatBackend(Optional<OpenAiChatClient> client, Optional<String> model, boolean vision) {

    /** No model server: the extractive generator answers alone. */
    public static final ChatBackend NONE = new ChatBackend(Optional.empty(), Optional.empty(), false);

    public ChatBackend {
        if (client.isPresent() != model.isPresent()) {
            throw new IllegalArgumentException(
                    "client and model must be both present or both empty; client=" + client + ", model=" + model);
        }
    }
}
