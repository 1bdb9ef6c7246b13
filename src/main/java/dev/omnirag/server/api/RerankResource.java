package dev.omnirag.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.omnirag.index.Locator;
import dev.omnirag.index.SearchHit;
import dev.omnirag.reranker.RerankRequest;
import dev.omnirag.reranker.Reranker;
import dev.omnirag.reranker.Reranking;
import dev.omnirag.server.config.SearchConfig;
import dev.omnirag.server.search.Rerankers;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /v1/rerank} in the common shape of Cohere, Jina and vLLM: {@code query}, {@code documents}
 * (strings or {@code {"text": ...}}), {@code top_n} → {@code results[{index, relevance_score}]}, best first.
 * {@code model}: {@code local} (default) or {@code mllm} / the MLLM reranker's model name. Blocking.
 */
@Path("/v1")
public class RerankResource {

    /** Most documents one request may carry. */
    static final int MAX_DOCUMENTS = 1000;

    private final Rerankers rerankers;
    private final SearchConfig config;
    private final dev.omnirag.server.security.Access access;
    private final ModelCalls models;

    private final Map<String, String> aliases;

    RerankResource(
            Rerankers rerankers,
            SearchConfig config,
            dev.omnirag.server.security.Access access,
            ModelCalls models,
            dev.omnirag.server.config.RerankerConfig rerankerConfig) {
        this.aliases = aliases(rerankerConfig.modelAliases().orElse(List.of()));
        this.access = access;
        this.models = models;
        this.rerankers = rerankers;
        this.config = config;
    }

    public record RerankBody(
            String model,
            String query,
            JsonNode documents,
            @JsonProperty("top_n") Integer topN,
            @JsonProperty("return_documents") Boolean returnDocuments) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(
            int index, @JsonProperty("relevance_score") double relevanceScore, Document document) {}

    public record Document(String text) {}

    /** Cohere's {@code meta}: the API version answered and the billed units (one search per request). */
    public record Meta(
            @JsonProperty("api_version") Map<String, String> apiVersion,
            @JsonProperty("billed_units") Map<String, Integer> billedUnits) {}

    /** Jina's {@code usage}: tokens read (estimated). */
    public record Usage(@JsonProperty("total_tokens") long totalTokens) {}

    public record RerankResponse(String id, String model, List<Result> results, Meta meta, Usage usage) {}

    @POST
    @Path("/rerank")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public RerankResponse rerank(RerankBody body) {
        return rerank(body, "1");
    }

    /** One rerank call; {@code version} is the Cohere API version answered ({@link RerankV2Resource}: 2). */
    RerankResponse rerank(RerankBody body, String version) {
        access.principal(); // any valid key; a second line of defence behind AuthFilter
        if (body == null) {
            throw ApiException.badRequest("request body is required: {\"query\": \"...\", \"documents\": [...]}");
        }
        if (body.query() == null || body.query().isBlank()) {
            throw ApiException.badRequest("query must not be blank");
        }
        if (body.query().length() > config.maxQueryLength()) {
            throw ApiException.badRequest("query must be at most " + config.maxQueryLength() + " characters; length="
                    + body.query().length());
        }
        List<String> texts = documents(body.documents());
        int topN = body.topN() == null ? texts.size() : body.topN();
        if (topN < 1) {
            throw ApiException.badRequest("top_n must be at least 1; top_n=" + topN);
        }
        Reranker reranker = select(body.model());
        List<SearchHit> hits = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            // Equal first-stage scores: the order of the request says nothing about relevance.
            hits.add(new SearchHit(
                    Integer.toString(i),
                    "request",
                    "document-" + i,
                    "text/plain",
                    texts.get(i),
                    0.0,
                    Locator.NONE,
                    null));
        }
        long cost = ModelCalls.tokens(body.query(), 0)
                + texts.stream().mapToLong(t -> ModelCalls.tokens(t, 0)).sum();
        Reranking reranking = models.run(
                "reranking " + texts.size() + (texts.size() == 1 ? " document" : " documents"),
                cost,
                () -> reranker.rerank(new RerankRequest(body.query(), hits, Math.min(topN, texts.size()))));
        if (!reranking.applied()) {
            throw new ApiException(
                    503, "the " + reranker.name() + " reranker could not judge the documents: " + reranking.reason());
        }
        boolean withText = Boolean.TRUE.equals(body.returnDocuments());
        List<Result> results = new ArrayList<>();
        for (SearchHit h : reranking.hits()) {
            int index = Integer.parseInt(h.chunkId());
            results.add(new Result(index, h.score(), withText ? new Document(texts.get(index)) : null));
        }
        String model = body.model() != null && !body.model().isBlank()
                ? body.model()
                : reranker.name().equals("mllm") ? rerankers.mllmModel().orElse("mllm") : reranker.name();
        return new RerankResponse(
                "rerank-" + UUID.randomUUID(),
                model,
                results,
                new Meta(Map.of("version", version), Map.of("search_units", 1)),
                new Usage(cost));
    }

    private Reranker select(String model) {
        if (model != null && aliases.containsKey(model)) {
            model = aliases.get(model);
        }
        if (model == null || model.isBlank() || model.equalsIgnoreCase("local")) {
            return rerankers.local();
        }
        if (model.equalsIgnoreCase("mllm")
                || rerankers.mllmModel().map(model::equals).orElse(false)) {
            return rerankers.select("mllm").orElseThrow();
        }
        if (model.equalsIgnoreCase("cross-encoder") && rerankers.crossEncoder().isPresent()) {
            return rerankers.crossEncoder().get();
        }
        if (model.equalsIgnoreCase("remote") && rerankers.remote().isPresent()) {
            return rerankers.remote().get();
        }
        List<String> available = new ArrayList<>(List.of("local"));
        rerankers.mllmModel().ifPresent(m -> available.addAll(List.of("mllm", m)));
        rerankers.crossEncoder().ifPresent(r -> available.add("cross-encoder"));
        rerankers.remote().ifPresent(r -> available.add("remote"));
        available.addAll(aliases.keySet());
        throw ApiException.modelNotFound("model '" + model + "' is not a reranker here; available: " + available
                + " (vendor model names can be mapped with omnirag.reranker.model-aliases)");
    }

    /** {@code name=reranker} entries; a malformed one stops the start with a message naming it. */
    static Map<String, String> aliases(List<String> entries) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String e : entries) {
            int eq = e.indexOf('=');
            String target = eq < 0 ? "" : e.substring(eq + 1).strip().toLowerCase(Locale.ROOT);
            if (eq <= 0 || !List.of("local", "mllm", "cross-encoder", "remote").contains(target)) {
                throw new IllegalArgumentException("omnirag.reranker.model-aliases entries must be name=local|mllm|"
                        + "cross-encoder|remote; entry=" + e);
            }
            out.put(e.substring(0, eq).strip(), target);
        }
        return Map.copyOf(out);
    }

    private static List<String> documents(JsonNode documents) {
        if (documents == null || !documents.isArray() || documents.isEmpty()) {
            throw ApiException.badRequest("documents must be a non-empty array of strings or {\"text\": ...} objects");
        }
        if (documents.size() > MAX_DOCUMENTS) {
            throw ApiException.badRequest(
                    "documents may hold at most " + MAX_DOCUMENTS + " items; it holds " + documents.size());
        }
        List<String> texts = new ArrayList<>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            JsonNode d = documents.get(i);
            String text = d.isTextual()
                    ? d.asText()
                    : d.isObject() && d.path("text").isTextual() ? d.get("text").asText() : null;
            if (text == null) {
                throw ApiException.badRequest("documents[" + i + "] must be a string or {\"text\": \"...\"}; found "
                        + d.getNodeType().name().toLowerCase(Locale.ROOT));
            }
            texts.add(text);
        }
        return texts;
    }
}
