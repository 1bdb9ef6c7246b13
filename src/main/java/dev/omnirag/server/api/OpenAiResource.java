package dev.omnirag.server.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.omnirag.embeddings.Embedder;
import dev.omnirag.server.db.CollectionEntity;
import dev.omnirag.server.search.ChatBackend;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The OpenAI-compatible surface: {@code /v1/embeddings} and {@code /v1/models} (chat is
 * {@link ChatCompletionsResource}, reranking {@link RerankResource}).
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class OpenAiResource {

    /** Most inputs one embeddings request may carry (OpenAI allows 2048). */
    static final int MAX_INPUTS = 2048;

    private final Embedder embedder;
    private final ChatBackend backend;

    OpenAiResource(Embedder embedder, ChatBackend backend) {
        this.embedder = embedder;
        this.backend = backend;
    }

    /** OpenAI's embeddings request; {@code input_type} (query|document) is an Omnirag extension. */
    public record EmbeddingsRequest(JsonNode input, String model, @JsonProperty("encoding_format") String encodingFormat,
            Integer dimensions, String user, @JsonProperty("input_type") String inputType) {
    }

    public record EmbeddingData(String object, int index, Object embedding) {
    }

    public record Usage(@JsonProperty("prompt_tokens") int promptTokens, @JsonProperty("total_tokens") int totalTokens) {
    }

    public record EmbeddingsResponse(String object, List<EmbeddingData> data, String model, Usage usage) {
    }

    public record Model(String id, String object, long created, @JsonProperty("owned_by") String ownedBy) {
    }

    public record ModelList(String object, List<Model> data) {
    }

    /**
     * Embeds a string or an array of strings with the server's embedder. {@code encoding_format} float (default)
     * or base64 (little-endian float32, what the official OpenAI clients ask for). Blocking: runs the model.
     */
    @POST
    @Path("/embeddings")
    @Consumes(MediaType.APPLICATION_JSON)
    public EmbeddingsResponse embeddings(EmbeddingsRequest body) {
        if (body == null || body.input() == null || body.input().isNull()) {
            throw ApiException.badRequest("input is required: a string or an array of strings");
        }
        List<String> inputs = new ArrayList<>();
        if (body.input().isTextual()) {
            inputs.add(body.input().asText());
        } else if (body.input().isArray()) {
            for (JsonNode item : body.input()) {
                if (!item.isTextual()) {
                    throw ApiException.badRequest("input must be a string or an array of strings; token arrays are not "
                            + "supported; found " + item.getNodeType().name().toLowerCase(Locale.ROOT) + " in the array");
                }
                inputs.add(item.asText());
            }
        } else {
            throw ApiException.badRequest("input must be a string or an array of strings; input is "
                    + body.input().getNodeType().name().toLowerCase(Locale.ROOT));
        }
        if (inputs.isEmpty()) {
            throw ApiException.badRequest("input must not be an empty array");
        }
        if (inputs.size() > MAX_INPUTS) {
            throw ApiException.badRequest("input may hold at most " + MAX_INPUTS + " strings; it holds " + inputs.size());
        }
        if (inputs.stream().anyMatch(String::isEmpty)) {
            throw ApiException.badRequest("input strings must not be empty");
        }
        if (body.model() != null && !body.model().isBlank() && !body.model().equals(embedder.spaceName())) {
            throw new ApiException(404, "model '" + body.model() + "' does not exist; this server embeds with '"
                    + embedder.spaceName() + "' (see GET /v1/models)");
        }
        if (body.dimensions() != null && body.dimensions() != embedder.dimensions()) {
            throw ApiException.badRequest("dimensions must be " + embedder.dimensions() + " for " + embedder.spaceName()
                    + "; dimensions=" + body.dimensions());
        }
        String format = body.encodingFormat() == null ? "float" : body.encodingFormat().toLowerCase(Locale.ROOT);
        if (!format.equals("float") && !format.equals("base64")) {
            throw ApiException.badRequest("encoding_format must be float or base64; encoding_format=" + body.encodingFormat());
        }
        boolean query = "query".equalsIgnoreCase(body.inputType());
        if (body.inputType() != null && !query && !"document".equalsIgnoreCase(body.inputType())) {
            throw ApiException.badRequest("input_type must be query or document; input_type=" + body.inputType());
        }
        List<float[]> vectors = query ? inputs.stream().map(embedder::embedQuery).toList() : embedder.embedDocuments(inputs);
        List<EmbeddingData> data = new ArrayList<>(vectors.size());
        int tokens = 0;
        for (int i = 0; i < vectors.size(); i++) {
            data.add(new EmbeddingData("embedding", i, format.equals("base64") ? base64(vectors.get(i)) : vectors.get(i)));
            tokens += embedder.countTokens(inputs.get(i));
        }
        return new EmbeddingsResponse("list", data, embedder.spaceName(), new Usage(tokens, tokens));
    }

    /**
     * The embedding model, one {@code omnirag:<collection>} chat model per collection (RAG over it), and the
     * generator's model when one is configured (chat requests for it pass through).
     */
    @GET
    @Path("/models")
    public Uni<ModelList> models() {
        return Panache.withSession(() -> CollectionEntity.<CollectionEntity>list("order by createdAt").map(all -> {
            List<Model> models = new ArrayList<>();
            models.add(new Model(embedder.spaceName(), "model", 0, "omnirag"));
            for (CollectionEntity c : all) {
                models.add(new Model(ChatCompletionsResource.RAG_PREFIX + c.name, "model", c.createdAt.toEpochSecond(),
                        "omnirag"));
            }
            backend.model().ifPresent(m -> models.add(new Model(m, "model", 0, "generator")));
            return new ModelList("list", models);
        }));
    }

    private static String base64(float[] v) {
        ByteBuffer buf = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            buf.putFloat(x);
        }
        return Base64.getEncoder().encodeToString(buf.array());
    }
}
