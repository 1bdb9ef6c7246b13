package dev.omnirag.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omnirag.openai.OpenAiTransport;
import dev.omnirag.openai.TransportException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * An embedder served elsewhere over the OpenAI embeddings protocol ({@code POST <baseUrl>/embeddings}), e.g.
 * vLLM or Infinity serving a multimodal embedder. Texts are sent as strings; images as PNG data URLs
 * ({@code data:image/png;base64,...}) in the same {@code input} array, with {@code "modality": "image"} (the
 * field Infinity reads; other servers ignore it). Returned vectors are L2-normalised here, so the contract's
 * unit-length rule holds whatever the server does.
 *
 * <p>Requests go through the one {@link OpenAiTransport} (its retries of refused connections, 429 and 5xx, and its
 * circuit breaker). Failures: an unreachable, overloaded, slow or misbehaving server is
 * {@link EmbeddingException.Retriable}; other 4xx answers and answers of the wrong shape are
 * {@link EmbeddingException.NonRetriable}, with the server's message.
 * {@link #countTokens} is an estimate (words and punctuation), since the server's tokenizer is not known here.
 * Immutable and thread safe.
 */
public final class OpenAiCompatibleEmbedder implements Embedder {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenAiTransport transport;
    private final URI endpoint;
    private final String model;
    private final String spaceName;
    private final Set<Modality> modalities;
    private final Duration timeout;
    private final int batchSize;
    private final int maxTokens;
    private final String queryPrefix;
    private final int dimensions;

    private OpenAiCompatibleEmbedder(Builder b) {
        this.transport = OpenAiTransport.builder()
                .serverName("embeddings server")
                .baseUrl(b.baseUrl)
                .apiKey(b.apiKey)
                .connectTimeout(b.timeout)
                .readTimeout(b.timeout)
                .maxRetries(b.maxRetries)
                .build();
        this.endpoint = transport.endpoint("embeddings");
        this.model = b.model;
        this.spaceName = b.spaceName == null || b.spaceName.isBlank() ? b.model : b.spaceName;
        this.modalities = b.images ? EnumSet.of(Modality.TEXT, Modality.IMAGE) : EnumSet.of(Modality.TEXT);
        this.timeout = b.timeout;
        this.batchSize = b.batchSize;
        this.maxTokens = b.maxTokens;
        this.queryPrefix = b.queryPrefix;
        this.dimensions = b.dimensions > 0
                ? b.dimensions
                : embed(List.of("dimension probe"), false).getFirst().length;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String spaceName() {
        return spaceName;
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    @Override
    public Set<Modality> modalities() {
        return modalities;
    }

    /** The endpoint requests go to. */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        Objects.requireNonNull(texts, "texts must not be null");
        texts.forEach(t -> Objects.requireNonNull(t, "texts must not contain null"));
        return embed(texts, false);
    }

    @Override
    public float[] embedQuery(String query) {
        Objects.requireNonNull(query, "query must not be null");
        return embed(List.of(queryPrefix + query), false).getFirst();
    }

    @Override
    public List<float[]> embedImages(List<BufferedImage> images) {
        Objects.requireNonNull(images, "images must not be null");
        if (!modalities.contains(Modality.IMAGE)) {
            return Embedder.super.embedImages(images);
        }
        List<String> urls = new ArrayList<>(images.size());
        for (BufferedImage image : images) {
            urls.add(dataUrl(Objects.requireNonNull(image, "images must not contain null")));
        }
        return embed(urls, true);
    }

    /** A PNG data URL of the image. */
    public static String dataUrl(BufferedImage image) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(ImagePreprocessor.toRgb(image), "png", png)) {
                throw new EmbeddingException.NonRetriable("no PNG writer available to encode the image");
            }
        } catch (IOException e) {
            throw new EmbeddingException.NonRetriable("cannot encode the image as PNG: " + e.getMessage(), e);
        }
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
    }

    @Override
    public int countTokens(String text) {
        // Roughly what BPE/WordPiece tokenizers give for English: words and punctuation marks, long words split.
        int tokens = 0;
        for (String word : text.split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            int letters = 0;
            for (int i = 0; i < word.length(); i++) {
                if (Character.isLetterOrDigit(word.charAt(i))) {
                    letters++;
                } else {
                    tokens++;
                }
            }
            tokens += (letters + 5) / 6;
        }
        return tokens;
    }

    @Override
    public int maxTokens() {
        return maxTokens;
    }

    private List<float[]> embed(List<String> inputs, boolean images) {
        List<float[]> out = new ArrayList<>(inputs.size());
        for (int from = 0; from < inputs.size(); from += batchSize) {
            out.addAll(call(inputs.subList(from, Math.min(inputs.size(), from + batchSize)), images));
        }
        return out;
    }

    private List<float[]> call(List<String> inputs, boolean images) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        ArrayNode input = body.putArray("input");
        inputs.forEach(input::add);
        body.put("encoding_format", "float");
        if (images) {
            body.put("modality", "image");
        }
        JsonNode answer;
        try {
            answer = transport.post("embeddings", body);
        } catch (TransportException e) {
            throw e.isRetriable()
                    ? new EmbeddingException.Retriable(e.getMessage(), e)
                    : new EmbeddingException.NonRetriable(e.getMessage(), e);
        }
        return parse(answer, inputs.size());
    }

    private List<float[]> parse(JsonNode json, int expected) {
        JsonNode data = json.path("data");
        if (!data.isArray() || data.size() != expected) {
            throw new EmbeddingException.NonRetriable("embeddings server " + endpoint + " returned " + data.size()
                    + " embeddings for " + expected + " inputs");
        }
        float[][] out = new float[expected][];
        for (int i = 0; i < expected; i++) {
            JsonNode item = data.get(i);
            int index = item.has("index") ? item.get("index").asInt() : i;
            JsonNode embedding = item.path("embedding");
            if (index < 0 || index >= expected || out[index] != null || !embedding.isArray() || embedding.isEmpty()) {
                throw new EmbeddingException.NonRetriable(
                        "embeddings server " + endpoint + " returned a malformed data item at position " + i);
            }
            float[] v = new float[embedding.size()];
            for (int d = 0; d < v.length; d++) {
                v[d] = (float) embedding.get(d).asDouble();
            }
            if (dimensionsKnown() && v.length != dimensions) {
                throw new EmbeddingException.NonRetriable("embeddings server " + endpoint + " returned " + v.length
                        + "-dimensional vectors; " + spaceName + " has " + dimensions);
            }
            out[index] = Vectors.normalise(v);
        }
        return List.of(out);
    }

    private boolean dimensionsKnown() {
        return dimensions > 0;
    }

    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        return "OpenAiCompatibleEmbedder[" + spaceName + ", " + dimensions + "d, " + modalities + ", " + endpoint + "]";
    }

    /** Builds an {@link OpenAiCompatibleEmbedder}; {@code baseUrl} and {@code model} are required. */
    public static final class Builder {
        private String baseUrl;
        private String model;
        private String apiKey;
        private String spaceName;
        private boolean images;
        private int dimensions;
        private Duration timeout = Duration.ofSeconds(60);
        private int batchSize = 32;
        private int maxRetries = 2;
        private int maxTokens = 512;
        private String queryPrefix = "";

        private Builder() {}

        /** The API base, e.g. {@code http://gpu-box:8000/v1}; {@code /embeddings} is appended. Required. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /** The served model's name, sent as {@code model}. Required. */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** Sent as {@code Authorization: Bearer <key>} when set. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** Name of the vector space; default the model name. */
        public Builder spaceName(String spaceName) {
            this.spaceName = spaceName;
            return this;
        }

        /** True when the served model embeds images too (declares {@link Modality#IMAGE}). Default false. */
        public Builder images(boolean images) {
            this.images = images;
            return this;
        }

        /** Vector size, 0..65536; 0 (default) asks the server once at build time. */
        public Builder dimensions(int dimensions) {
            this.dimensions = dimensions;
            return this;
        }

        /** Time limit of one request (and of connecting), 1 ms..1 h. Default 60 s. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Retries of a failed request (refused, 429, 5xx), 0..10, with the transport's backoff. Default 2. */
        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        /** Inputs per request, 1..2048. Default 32. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Longest input in tokens the served model reads, 8..131072. Default 512. */
        public Builder maxTokens(int maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        /** Text put before queries (never documents), e.g. an instruction. Default empty. */
        public Builder queryPrefix(String queryPrefix) {
            this.queryPrefix = queryPrefix;
            return this;
        }

        public OpenAiCompatibleEmbedder build() {
            if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
                throw new IllegalArgumentException("baseUrl must be an http(s) URL; baseUrl=" + baseUrl);
            }
            try {
                URI.create(baseUrl);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("baseUrl is not a valid URL; baseUrl=" + baseUrl, e);
            }
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("model must not be blank; model=" + model);
            }
            if (dimensions < 0 || dimensions > 65_536) {
                throw new IllegalArgumentException("dimensions must be in 0..65536; dimensions=" + dimensions);
            }
            if (timeout == null
                    || timeout.isNegative()
                    || timeout.isZero()
                    || timeout.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("timeout must be in 1ms..1h; timeout=" + timeout);
            }
            if (batchSize < 1 || batchSize > 2048) {
                throw new IllegalArgumentException("batchSize must be in 1..2048; batchSize=" + batchSize);
            }
            if (maxTokens < 8 || maxTokens > 131_072) {
                throw new IllegalArgumentException("maxTokens must be in 8..131072; maxTokens=" + maxTokens);
            }
            Objects.requireNonNull(queryPrefix, "queryPrefix must not be null");
            return new OpenAiCompatibleEmbedder(this);
        }
    }
}
