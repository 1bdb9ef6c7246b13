package dev.omnirag.reranker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omnirag.index.SearchHit;
import dev.omnirag.openai.OpenAiTransport;
import dev.omnirag.openai.TransportException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A reranking server reached over HTTP: Infinity, Hugging Face TEI, vLLM's and Jina's {@code /rerank}, or Cohere's
 * API. One request per rerank carries the query and the texts of the first {@code candidates} hits.
 *
 * <p>Wire formats ({@link Format}): {@code COHERE} (Cohere, Jina, Infinity, vLLM): {@code POST <url>} with
 * {@code {"model", "query", "documents": [text...], "top_n"}}, answered by {@code {"results": [{"index",
 * "relevance_score"}]}}; {@code TEI}: {@code {"query", "texts": [text...]}}, answered by {@code [{"index",
 * "score"}]}. The URL is the endpoint itself ({@code http://tei:8080/rerank}, {@code https://api.cohere.com/v2/rerank}).
 *
 * <p>Judged hits come first by the server's score (ties keep first-stage order); hits beyond {@code candidates}
 * follow, unjudged, in first-stage order with score 0. When the server cannot judge (refused, an HTTP error,
 * malformed JSON, an index out of range, the deadline passed) the first-stage order stands ({@link
 * Reranking#applied()} false, with the reason). Immutable and thread safe; blocking up to the deadline.
 */
public final class RemoteReranker implements Reranker {

    /** The request and response shape the server speaks. */
    public enum Format {
        COHERE,
        TEI
    }

    private final URI endpoint;
    private final OpenAiTransport transport;
    private final String model;
    private final Format format;
    private final int candidates;
    private final Duration deadline;
    private final String name;
    private final ObjectMapper json = new ObjectMapper();

    private RemoteReranker(Builder b) {
        this.endpoint = b.endpoint;
        // One request per rerank with the reranker's deadline and no retry; the transport's breaker spares a dead
        // server.
        this.transport = OpenAiTransport.builder()
                .serverName("reranking server")
                .baseUrl(b.endpoint.toString())
                .apiKey(b.apiKey)
                .connectTimeout(b.connectTimeout)
                .readTimeout(b.deadline)
                .maxRetries(0)
                .build();
        this.model = b.model;
        this.format = b.format;
        this.candidates = b.candidates;
        this.deadline = b.deadline;
        this.name = b.name;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Reranking rerank(RerankRequest request) {
        Objects.requireNonNull(request, "request must not be null");
        List<SearchHit> hits = request.hits();
        if (hits.isEmpty()) {
            return Reranking.applied(List.of());
        }
        int judged = Math.min(candidates, hits.size());
        double[] scores;
        try {
            scores = call(request.query(), hits.subList(0, judged));
        } catch (RerankException e) {
            return Reranking.unchanged(
                    request, "the reranking server " + endpoint + " could not judge: " + e.getMessage());
        }
        return Reranking.judged(hits, scores, request.k());
    }

    /** The server's score for each hit, in hit order. */
    private double[] call(String query, List<SearchHit> hits) {
        ObjectNode body = json.createObjectNode();
        ArrayNode texts = json.createArrayNode();
        hits.forEach(h -> texts.add(h.text() == null ? "" : h.text()));
        if (format == Format.COHERE) {
            if (model != null) {
                body.put("model", model);
            }
            body.put("query", query);
            body.set("documents", texts);
            body.put("top_n", hits.size());
        } else {
            body.put("query", query);
            body.set("texts", texts);
        }
        JsonNode root;
        try {
            root = transport.post("", body, deadline);
        } catch (TransportException e) {
            throw e.timedOut()
                    ? new RerankException.Retriable(
                            "no answer within the deadline of " + deadline.toMillis() + " ms", e)
                    : new RerankException.Retriable(e.getMessage(), e);
        }
        JsonNode results = format == Format.COHERE ? root.path("results") : root;
        String scoreField = format == Format.COHERE ? "relevance_score" : "score";
        if (!results.isArray()) {
            throw new RerankException.NonRetriable(
                    "the answer has no " + (format == Format.COHERE ? "results array" : "array of {index, score}"));
        }
        double[] scores = new double[hits.size()];
        boolean[] seen = new boolean[hits.size()];
        for (JsonNode r : results) {
            int index = r.path("index").asInt(-1);
            if (index < 0 || index >= hits.size() || !r.path(scoreField).isNumber()) {
                throw new RerankException.NonRetriable("a result has no valid index and " + scoreField + ": " + r);
            }
            scores[index] = r.path(scoreField).asDouble();
            seen[index] = true;
        }
        for (int i = 0; i < seen.length; i++) {
            if (!seen[i]) {
                throw new RerankException.NonRetriable(
                        "the answer has no score for document " + i + " of " + hits.size());
            }
        }
        return scores;
    }

    @Override
    public String toString() {
        return "RemoteReranker[endpoint=" + endpoint + ", format=" + format + ", model=" + model + ", candidates="
                + candidates + ", deadline=" + deadline + "]";
    }

    /** Builds a {@link RemoteReranker}; the URL is required. */
    public static final class Builder {
        private URI endpoint;
        private String apiKey;
        private String model;
        private Format format = Format.COHERE;
        private int candidates = 50;
        private Duration deadline = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private String name = "remote";

        private Builder() {}

        /** The rerank endpoint itself, {@code http(s)://host:port/rerank} or {@code .../v1/rerank}. Required. */
        public Builder url(String url) {
            URI uri;
            try {
                uri = URI.create(Objects.requireNonNull(url, "url must not be null"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("url must be an http(s) URL; url=" + url, e);
            }
            if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
                throw new IllegalArgumentException("url must be an http(s) URL; url=" + url);
            }
            this.endpoint = uri;
            return this;
        }

        /** Sent as {@code Authorization: Bearer <key>}; null or blank sends none. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
            return this;
        }

        /** The model to ask for (Cohere format; servers with one model ignore it); null sends none. */
        public Builder model(String model) {
            this.model = model == null || model.isBlank() ? null : model;
            return this;
        }

        /** The wire format; default {@link Format#COHERE}. */
        public Builder format(Format format) {
            this.format = Objects.requireNonNull(format, "format must not be null");
            return this;
        }

        /** Hits sent to be judged (the first ones), 1..1000; default 50. */
        public Builder candidates(int candidates) {
            if (candidates < 1 || candidates > 1000) {
                throw new IllegalArgumentException("candidates must be in 1..1000; candidates=" + candidates);
            }
            this.candidates = candidates;
            return this;
        }

        /** Longest wait for the answer; past it the first-stage order stands. Default 10 s. */
        public Builder deadline(Duration deadline) {
            if (deadline == null || deadline.isNegative() || deadline.isZero()) {
                throw new IllegalArgumentException("deadline must be positive; deadline=" + deadline);
            }
            this.deadline = deadline;
            return this;
        }

        /** Longest wait to open a connection; default 5 s. */
        public Builder connectTimeout(Duration connectTimeout) {
            if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive; connectTimeout=" + connectTimeout);
            }
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** The name in configuration and responses; default {@code remote}. */
        public Builder name(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank; name=" + name);
            }
            this.name = name;
            return this;
        }

        public RemoteReranker build() {
            if (endpoint == null) {
                throw new IllegalStateException("url is required, e.g. http://localhost:8080/rerank");
            }
            return new RemoteReranker(this);
        }
    }
}
