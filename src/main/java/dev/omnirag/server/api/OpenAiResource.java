package dev.omnirag.server.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.omnirag.embeddings.Embedder;
import dev.omnirag.server.db.CollectionEntity;
import dev.omnirag.server.search.ChatBackend;
import dev.omnirag.server.security.Access;
import dev.omnirag.server.security.Principal;
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
    /** What one image input costs in model tokens (a vision tower's patch sequence, about 14×14 patches plus one). */
    static final int IMAGE_TOKENS = 256;

    private final Embedder textEmbedder;
    private final dev.omnirag.server.search.EmbeddingSpaces spaces;
    private final ImageQueries images;
    private final ChatBackend backend;
    private final Access access;
    private final ModelCalls models;

    private final java.util.Set<String> aliases;

    OpenAiResource(
            Embedder embedder,
            dev.omnirag.server.search.EmbeddingSpaces spaces,
            ImageQueries images,
            ChatBackend backend,
            Access access,
            ModelCalls models,
            dev.omnirag.server.config.EmbedderConfig embedderConfig) {
        this.aliases = java.util.Set.copyOf(embedderConfig.modelAliases().orElse(List.of()));
        this.access = access;
        this.models = models;
        this.textEmbedder = embedder;
        this.spaces = spaces;
        this.images = images;
        this.backend = backend;
    }

    /** One input: a text, an image (decoded), or token ids to decode with the chosen embedder's tokenizer. */
    private record Input(String text, java.awt.image.BufferedImage image, int[] tokens) {
        Input(String text, java.awt.image.BufferedImage image) {
            this(text, image, null);
        }
    }

    /** OpenAI's embeddings request; {@code input_type} (query|document) is an Omnirag extension. */
    public record EmbeddingsRequest(
            JsonNode input,
            String model,
            @JsonProperty("encoding_format") String encodingFormat,
            Integer dimensions,
            String user,
            @JsonProperty("input_type") String inputType) {}

    public record EmbeddingData(String object, int index, Object embedding) {}

    public record Usage(
            @JsonProperty("prompt_tokens") int promptTokens,
            @JsonProperty("total_tokens") int totalTokens) {}

    public record EmbeddingsResponse(String object, List<EmbeddingData> data, String model, Usage usage) {}

    public record Model(
            String id,
            String object,
            long created,
            @JsonProperty("owned_by") String ownedBy) {}

    public record ModelList(String object, List<Model> data) {}

    /**
     * Embeds a string or an array of strings with the server's embedder. Image inputs (an item that is a data URL
     * {@code data:image/...}, or an object {@code {"image": "<data URL or base64>"}} or
     * {@code {"type": "image_url", "image_url": {"url": "data:..."}}}) are embedded by the multimodal embedder, which
     * must then be configured; the model is chosen by {@code model} or, when omitted, by whether there are images. {@code encoding_format} float (default)
     * or base64 (little-endian float32, what the official OpenAI clients ask for). Blocking: runs the model.
     */
    @POST
    @Path("/embeddings")
    @Consumes(MediaType.APPLICATION_JSON)
    public EmbeddingsResponse embeddings(EmbeddingsRequest body) {
        access.principal(); // any valid key; a second line of defence behind AuthFilter
        if (body == null || body.input() == null || body.input().isNull()) {
            throw ApiException.badRequest("input is required: a string or an array of strings");
        }
        List<Input> inputs = new ArrayList<>();
        if (body.input().isTextual()) {
            inputs.add(input(body.input(), 0));
        } else if (body.input().isArray()
                && !body.input().isEmpty()
                && body.input().get(0).isNumber()) {
            inputs.add(new Input(null, null, tokens(body.input(), "input")));
        } else if (body.input().isArray()) {
            if (body.input().size() > MAX_INPUTS) {
                throw ApiException.badRequest("input may hold at most " + MAX_INPUTS + " strings; it holds "
                        + body.input().size());
            }
            int i = 0;
            for (JsonNode item : body.input()) {
                if (item.isArray()) {
                    inputs.add(new Input(null, null, tokens(item, "input[" + i++ + "]")));
                    continue;
                }
                if (!item.isTextual() && !item.isObject()) {
                    throw ApiException.badRequest("input must be a string, an array of strings or token arrays; found "
                            + item.getNodeType().name().toLowerCase(Locale.ROOT) + " in the array");
                }
                inputs.add(input(item, i++));
            }
        } else {
            throw ApiException.badRequest("input must be a string or an array of strings; input is "
                    + body.input().getNodeType().name().toLowerCase(Locale.ROOT));
        }
        if (inputs.isEmpty()) {
            throw ApiException.badRequest("input must not be an empty array");
        }
        if (inputs.size() > MAX_INPUTS) {
            throw ApiException.badRequest(
                    "input may hold at most " + MAX_INPUTS + " strings; it holds " + inputs.size());
        }
        if (inputs.stream().anyMatch(in -> in.text() != null && in.text().isEmpty())) {
            throw ApiException.badRequest("input strings must not be empty");
        }
        boolean anyImage = inputs.stream().anyMatch(in -> in.image() != null);
        Embedder multimodal = spaces.multimodal().orElse(null);
        Embedder embedder;
        if (body.model() != null && !body.model().isBlank()) {
            if (body.model().equals(textEmbedder.spaceName()) || aliases.contains(body.model())) {
                embedder = textEmbedder;
            } else if (multimodal != null && body.model().equals(multimodal.spaceName())) {
                embedder = multimodal;
            } else {
                throw ApiException.modelNotFound(
                        "model '" + body.model() + "' does not exist; this server embeds with '"
                                + textEmbedder.spaceName() + "'"
                                + (multimodal == null ? "" : " and '" + multimodal.spaceName() + "'")
                                + " (see GET /v1/models)");
            }
        } else {
            embedder = anyImage && multimodal != null ? multimodal : textEmbedder;
        }
        if (anyImage && !embedder.supports(dev.omnirag.embeddings.Modality.IMAGE)) {
            throw ApiException.badRequest(
                    "model '" + embedder.spaceName() + "' cannot embed images: it has no image tower"
                            + (multimodal == null
                                    ? "; configure a multimodal embedder (omnirag.multimodal.embedder)"
                                    : "; use model '" + multimodal.spaceName() + "'"));
        }
        if (body.dimensions() != null && body.dimensions() != embedder.dimensions()) {
            throw ApiException.badRequest("dimensions must be " + embedder.dimensions() + " for " + embedder.spaceName()
                    + "; dimensions=" + body.dimensions());
        }
        String format =
                body.encodingFormat() == null ? "float" : body.encodingFormat().toLowerCase(Locale.ROOT);
        if (!format.equals("float") && !format.equals("base64")) {
            throw ApiException.badRequest(
                    "encoding_format must be float or base64; encoding_format=" + body.encodingFormat());
        }
        boolean query = "query".equalsIgnoreCase(body.inputType());
        if (body.inputType() != null && !query && !"document".equalsIgnoreCase(body.inputType())) {
            throw ApiException.badRequest("input_type must be query or document; input_type=" + body.inputType());
        }
        for (int i = 0; i < inputs.size(); i++) {
            Input in = inputs.get(i);
            if (in.tokens() != null) {
                int index = i;
                String decoded = embedder.decode(in.tokens())
                        .orElseThrow(() -> new ApiException(
                                400,
                                "input"
                                        + (inputs.size() == 1 ? "" : "[" + index + "]")
                                        + " holds token ids that are not " + embedder.spaceName()
                                        + "'s: token arrays are read with the embedder's own tokenizer, never OpenAI's tiktoken; send "
                                        + "the text instead",
                                "invalid_value",
                                "input"));
                if (decoded.isBlank()) {
                    throw new ApiException(
                            400,
                            "input" + (inputs.size() == 1 ? "" : "[" + index + "]") + " decodes to no text",
                            "invalid_value",
                            "input");
                }
                inputs.set(i, new Input(decoded, null));
            }
        }
        List<String> texts =
                inputs.stream().filter(in -> in.text() != null).map(Input::text).toList();
        long cost = texts.stream()
                        .mapToLong(t -> ModelCalls.tokens(t, embedder.maxTokens()))
                        .sum()
                + (long) IMAGE_TOKENS * (inputs.size() - texts.size());
        Embedder chosen = embedder;
        List<float[]> vectors =
                models.run("embedding " + inputs.size() + (inputs.size() == 1 ? " input" : " inputs"), cost, () -> {
                    List<float[]> textVectors = texts.isEmpty()
                            ? List.of()
                            : query ? texts.stream().map(chosen::embedQuery).toList() : chosen.embedDocuments(texts);
                    List<float[]> out = new ArrayList<>(inputs.size());
                    int nextText = 0;
                    for (Input in : inputs) {
                        if (in.text() == null) {
                            dev.omnirag.server.wiring.Cancellation.check();
                        }
                        out.add(in.text() != null ? textVectors.get(nextText++) : chosen.embedImage(in.image()));
                    }
                    return out;
                });
        List<EmbeddingData> data = new ArrayList<>(vectors.size());
        int tokens = 0;
        for (int i = 0; i < vectors.size(); i++) {
            data.add(new EmbeddingData(
                    "embedding", i, format.equals("base64") ? base64(vectors.get(i)) : vectors.get(i)));
            tokens += inputs.get(i).text() == null
                    ? 0
                    : embedder.countTokens(inputs.get(i).text());
        }
        return new EmbeddingsResponse("list", data, embedder.spaceName(), new Usage(tokens, tokens));
    }

    /** A token array: integers, at most the embedder's input length several times over. */
    private static int[] tokens(JsonNode array, String field) {
        if (array.isEmpty() || array.size() > 65_536) {
            throw new ApiException(400, field + " must hold 1..65536 token ids", "invalid_value", "input");
        }
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode t = array.get(i);
            if (!t.isIntegralNumber() || !t.canConvertToInt()) {
                throw new ApiException(
                        400, field + " must be an array of integer token ids; found " + t, "invalid_value", "input");
            }
            out[i] = t.asInt();
        }
        return out;
    }

    /** A text item, or an image item decoded with the ingestion limits. */
    private Input input(JsonNode item, int index) {
        String field = "input[" + index + "]";
        if (item.isTextual()) {
            String s = item.asText();
            return ImageQueries.isImageDataUrl(s) ? new Input(null, images.fromDataUrl(field, s)) : new Input(s, null);
        }
        JsonNode image =
                item.has("image") ? item.get("image") : item.path("image_url").path("url");
        if (item.path("image_url").isTextual()) {
            image = item.get("image_url");
        }
        if (image == null || !image.isTextual()) {
            JsonNode text = item.get("text");
            if (text != null && text.isTextual()) {
                return new Input(text.asText(), null);
            }
            throw ApiException.badRequest(
                    field + " must be a string, {\"text\": ...}, {\"image\": \"<data URL or base64>\"} "
                            + "or {\"type\": \"image_url\", \"image_url\": {\"url\": \"data:...\"}}");
        }
        return new Input(null, images.fromDataUrl(field, image.asText()));
    }

    /**
     * The embedding model, one {@code omnirag:<collection>} chat model per collection (RAG over it), and the
     * generator's model when one is configured (chat requests for it pass through). Only the collections the
     * key has a role in are listed.
     */
    @GET
    @Path("/models")
    public Uni<ModelList> models() {
        Principal p = access.principal();
        return Panache.withSession(() -> CollectionEntity.<CollectionEntity>list("order by createdAt")
                .map(all -> {
                    List<Model> models = new ArrayList<>();
                    models.add(new Model(textEmbedder.spaceName(), "model", 0, "omnirag"));
                    spaces.multimodal().ifPresent(m -> models.add(new Model(m.spaceName(), "model", 0, "omnirag")));
                    for (CollectionEntity c :
                            all.stream().filter(c -> p.canSee(c.id)).toList()) {
                        models.add(new Model(
                                ChatCompletionsResource.RAG_PREFIX + c.name,
                                "model",
                                c.createdAt.toEpochSecond(),
                                "omnirag"));
                    }
                    backend.model().ifPresent(m -> models.add(new Model(m, "model", 0, "generator")));
                    return new ModelList("list", models);
                }));
    }

    /**
     * One model of {@link #models()} by its id: the embedders, {@code omnirag:<collection name>} or
     * {@code omnirag:<collection id>} (the id form never changes when a collection is renamed; the answer names the
     * model as asked), and the generator's model. 404 {@code model_not_found} otherwise, also for a collection the
     * key may not see.
     */
    @GET
    @Path("/models/{id: .+}")
    public Uni<Model> model(@jakarta.ws.rs.PathParam("id") String id) {
        Principal p = access.principal();
        if (id.equals(textEmbedder.spaceName())
                || aliases.contains(id)
                || spaces.multimodal().map(m -> m.spaceName().equals(id)).orElse(false)) {
            return Uni.createFrom().item(new Model(id, "model", 0, "omnirag"));
        }
        if (backend.model().map(id::equals).orElse(false)) {
            return Uni.createFrom().item(new Model(id, "model", 0, "generator"));
        }
        if (!id.startsWith(ChatCompletionsResource.RAG_PREFIX)) {
            return Uni.createFrom()
                    .failure(ApiException.modelNotFound("model '" + id + "' does not exist (see GET /v1/models)"));
        }
        String ref = id.substring(ChatCompletionsResource.RAG_PREFIX.length());
        return Panache.withSession(() -> RagModels.find(ref)).map(c -> {
            if (c == null || !p.canSee(c.id)) {
                throw ApiException.modelNotFound("model '" + id
                        + "' does not exist: no collection is named or has the id '" + ref + "' (see GET /v1/models)");
            }
            return new Model(id, "model", c.createdAt.toEpochSecond(), "omnirag");
        });
    }

    private static String base64(float[] v) {
        ByteBuffer buf = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            buf.putFloat(x);
        }
        return Base64.getEncoder().encodeToString(buf.array());
    }
}
