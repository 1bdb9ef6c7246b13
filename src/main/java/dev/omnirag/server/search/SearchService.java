package dev.omnirag.server.search;

import dev.omnirag.embeddings.Embedder;
import dev.omnirag.index.Fusion;
import dev.omnirag.index.QueryExpansion;
import dev.omnirag.index.SearchFilter;
import dev.omnirag.index.SearchHit;
import dev.omnirag.index.SearchMode;
import dev.omnirag.index.SearchRequest;
import dev.omnirag.index.VectorFeedback;
import dev.omnirag.index.VectorIndex;
import dev.omnirag.reranker.RerankRequest;
import dev.omnirag.reranker.Reranker;
import dev.omnirag.reranker.Reranking;
import dev.omnirag.server.config.SearchConfig;
import dev.omnirag.server.db.CollectionEntity;
import dev.omnirag.server.ingest.MediaProcessor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Embeds the query when the mode needs a vector, searches the collection's index and, when asked, reranks the
 * first {@code omnirag.reranker.candidates} hits. Blocking.
 *
 * <p>A query may be text, an image, or both. The text path searches BM25 and the text vectors with the text
 * plus the image's OCR text; when the collection has a native (multimodal) space, the native path searches the
 * native vectors with the image's embedding (or, for a text-only query, the text's embedding in that space).
 * The index fuses the lists (RRF by default). With feedback ({@code feedback} or {@code omnirag.search.feedback})
 * the text query vector is moved towards the top first-pass hits and the index searched again
 * ({@link VectorFeedback}). A question asked in a conversation also looks for what the questions before it named
 * ({@link FollowUps}). The {@link SearchProfile#QUALITY} profile takes its feedback passages from plain hybrid search
 * and searches again with its own vector weight and, in collections that have one, the companion embedder's list.
 */
@ApplicationScoped
public class SearchService {

    private static final Logger LOG = Logger.getLogger(SearchService.class);

    private final Embedder embedder;
    private final CollectionIndexes indexes;
    private final SearchConfig config;
    private final MeterRegistry registry;
    private final EmbeddingSpaces spaces;
    private final MediaProcessor media;
    private final Rerankers rerankers;
    private final VectorFeedback feedback;
    private final FollowUps followUps;

    SearchService(
            Embedder embedder,
            CollectionIndexes indexes,
            SearchConfig config,
            MeterRegistry registry,
            EmbeddingSpaces spaces,
            MediaProcessor media,
            Rerankers rerankers) {
        this.rerankers = rerankers;
        try {
            this.feedback = new VectorFeedback(config.feedbackHits(), config.feedbackWeight());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("omnirag.search.feedback-hits / feedback-weight: " + e.getMessage(), e);
        }
        this.followUps = new FollowUps(config.followUpTurns(), config.followUpDecay());
        if (!(config.qualityVectorWeight() >= 0 && config.qualityVectorWeight() <= 1)) {
            throw new IllegalArgumentException("omnirag.search.quality-vector-weight must be in 0..1; "
                    + "omnirag.search.quality-vector-weight=" + config.qualityVectorWeight());
        }
        if (!(config.companionShare() > 0 && config.companionShare() <= 1)) {
            throw new IllegalArgumentException("omnirag.search.companion-share must be in (0, 1]; "
                    + "omnirag.search.companion-share=" + config.companionShare());
        }
        this.embedder = embedder;
        this.indexes = indexes;
        this.config = config;
        this.registry = registry;
        this.spaces = spaces;
        this.media = media;
    }

    /** Ranked hits for a text query, best first. */
    public List<SearchHit> search(
            CollectionEntity collection, String query, int k, SearchMode mode, Fusion fusion, SearchFilter filter) {
        return search(collection, new Query(query, null), k, mode, fusion, filter);
    }

    /**
     * Ranked hits and how they were reranked.
     *
     * @param hits           best first, at most k
     * @param rerank         the reranker that was asked for: none, local or mllm
     * @param rerankFailure  why the reranker could not judge and the first-stage order stands; null otherwise
     */
    public record Ranked(List<SearchHit> hits, String rerank, String rerankFailure) {}

    /** A text query, reranked as {@code rerank} asks; see {@link #search(CollectionEntity, Query, int, SearchMode, Fusion, SearchFilter, String)}. */
    public Ranked search(
            CollectionEntity collection,
            String query,
            int k,
            SearchMode mode,
            Fusion fusion,
            SearchFilter filter,
            String rerank) {
        return search(collection, new Query(query, null), k, mode, fusion, filter, rerank);
    }

    /**
     * Ranked hits, reranked as {@code rerank} asks (none, local, mllm; null or blank: the configured default).
     * Unknown or unconfigured rerankers are an IllegalArgumentException naming the field. Rerankers judge text:
     * an image query is reranked by its typed text, or else by the text read from the image.
     */
    public Ranked search(
            CollectionEntity collection,
            Query query,
            int k,
            SearchMode mode,
            Fusion fusion,
            SearchFilter filter,
            String rerank) {
        return search(collection, query, k, mode, fusion, filter, rerank, config.feedback(), SearchProfile.FAST);
    }

    /**
     * As {@link #search(CollectionEntity, Query, int, SearchMode, Fusion, SearchFilter, String)}, with or without
     * vector feedback, in a retrieval profile (its own options apply to weighted hybrid search).
     */
    public Ranked search(
            CollectionEntity collection,
            Query query,
            int k,
            SearchMode mode,
            Fusion fusion,
            SearchFilter filter,
            String rerank,
            boolean withFeedback,
            SearchProfile profile) {
        Optional<Reranker> reranker = rerankers.select(rerank);
        if (reranker.isEmpty()) {
            return new Ranked(search(collection, query, k, mode, fusion, filter, withFeedback, profile), "none", null);
        }
        Reranker r = reranker.get();
        List<SearchHit> candidates = search(
                collection, query, Math.max(k, rerankers.candidates()), mode, fusion, filter, withFeedback, profile);
        String text = query.text() != null && !query.text().isBlank() ? query.text() : imageText(query.image());
        if (text.isBlank()) {
            List<SearchHit> top = candidates.size() > k ? candidates.subList(0, k) : candidates;
            return new Ranked(top, r.name(), "the query has no text to rerank by; first-stage order stands");
        }
        Timer.Sample sample = Timer.start(registry);
        Reranking reranking;
        try {
            reranking = r.rerank(new RerankRequest(text, candidates, k));
        } finally {
            sample.stop(Timer.builder("omnirag.rerank.latency")
                    .description("Time to rerank the candidates of one query")
                    .tag("reranker", r.name())
                    .publishPercentileHistogram()
                    .register(registry));
        }
        if (!reranking.applied()) {
            LOG.warnf("Reranker %s could not judge; first-stage order stands: %s", r.name(), reranking.reason());
            registry.counter("omnirag.rerank.fallbacks", "reranker", r.name()).increment();
        }
        return new Ranked(reranking.hits(), r.name(), reranking.reason());
    }

    /**
     * The quality profile: {@code firstPass} (plain hybrid) gives the feedback passages; the second pass weighs the
     * vector side {@code quality-vector-weight} and adds the companion list when the collection has a companion space.
     */
    private List<SearchHit> quality(
            CollectionEntity collection,
            SearchRequest firstPass,
            String text,
            List<FollowUps.Weighted> earlier,
            boolean withFeedback,
            VectorIndex index) {
        SearchRequest second = new SearchRequest(
                firstPass.queryText(),
                firstPass.queryVector(),
                firstPass.k(),
                firstPass.mode(),
                firstPass.fusion(),
                config.qualityVectorWeight(),
                firstPass.filter(),
                firstPass.nativeQueryVector(),
                firstPass.expansion(),
                firstPass.context());
        Embedder companion = spaces.companionFor(collection).orElse(null);
        if (companion != null) {
            float[] companionVector = companion.embedQuery(text);
            if (!earlier.isEmpty()) {
                companionVector = FollowUps.blend(
                        companionVector,
                        earlier,
                        earlier.stream()
                                .map(e -> companion.embedQuery(e.text()))
                                .toList());
            }
            second = second.withCompanion(new SearchRequest.CompanionQuery(companionVector, config.companionShare()));
        }
        if (!withFeedback) {
            return index.search(second);
        }
        return feedback.search(
                index,
                firstPass,
                second,
                embedder::embedDocuments,
                companion == null ? null : companion::embedDocuments);
    }

    /** The text read from an image query (OCR), empty when OCR is off or finds nothing. */
    public String imageText(BufferedImage image) {
        if (image == null || !media.ocrEnabled()) {
            return "";
        }
        return media.ocr().recognize(image, 0).text();
    }

    /**
     * A query: text, an image, or both.
     *
     * @param text what the user typed, may be null or blank when there is an image
     * @param image the query image, or null
     * @param earlier the conversation's earlier questions, oldest first (empty outside a conversation): retrieval
     *     also looks for what they named ({@link FollowUps})
     */
    public record Query(String text, BufferedImage image, List<String> earlier) {
        public Query {
            earlier = earlier == null ? List.of() : List.copyOf(earlier);
        }

        /** A query asked on its own, not in a conversation. */
        public Query(String text, BufferedImage image) {
            this(text, image, List.of());
        }
    }

    /**
     * Ranked hits, best first.
     *
     * @throws IllegalArgumentException when the query gives nothing to search with (an image without legible text in
     *     a collection without a native space, or a keyword search with an image alone)
     */
    public List<SearchHit> search(
            CollectionEntity collection, Query query, int k, SearchMode mode, Fusion fusion, SearchFilter filter) {
        return search(collection, query, k, mode, fusion, filter, config.feedback(), SearchProfile.FAST);
    }

    private List<SearchHit> search(
            CollectionEntity collection,
            Query query,
            int k,
            SearchMode mode,
            Fusion fusion,
            SearchFilter filter,
            boolean withFeedback,
            SearchProfile profile) {
        Timer.Sample sample = Timer.start(registry);
        try {
            spaces.checkText(collection);
            Optional<Embedder> nativeEmbedder = spaces.nativeFor(collection);
            String typed = query.text() == null ? "" : query.text().strip();
            String text = typed;
            if (query.image() != null) {
                text = (typed + "\n" + imageText(query.image())).strip();
            }
            if (text.length() > config.maxQueryLength()) {
                text = text.substring(0, config.maxQueryLength());
            }
            float[] nativeVector = null;
            if (nativeEmbedder.isPresent() && mode != SearchMode.KEYWORD) {
                nativeVector = query.image() != null
                        ? nativeEmbedder.get().embedImage(query.image())
                        : typed.isEmpty() ? null : nativeEmbedder.get().embedQuery(typed);
            }
            if (text.isBlank()) {
                if (nativeVector == null) {
                    throw dev.omnirag.server.api.ApiException.badRequest(
                            query.image() == null
                                    ? "query must not be blank"
                                    : "the image has no legible text to search with and this collection has no multimodal "
                                            + "embedding space (omnirag.multimodal.embedder); add a text query");
                }
                mode = SearchMode.VECTOR;
            }
            float[] vector = mode == SearchMode.KEYWORD || text.isBlank() ? null : embedder.embedQuery(text);
            List<FollowUps.Weighted> earlier = followUps.weighted(query.earlier());
            if (vector != null && !earlier.isEmpty()) {
                vector = FollowUps.blend(
                        vector,
                        earlier,
                        earlier.stream().map(e -> embedder.embedQuery(e.text())).toList());
            }
            SearchRequest request = new SearchRequest(
                    text.isBlank() ? null : text,
                    vector,
                    k,
                    mode,
                    fusion,
                    config.vectorWeight(),
                    filter,
                    nativeVector,
                    QueryExpansion.NONE,
                    FollowUps.keywordContext(earlier));
            VectorIndex index = indexes.get(collection);
            if (profile == SearchProfile.QUALITY
                    && mode == SearchMode.HYBRID
                    && fusion == Fusion.WEIGHTED
                    && vector != null) {
                return quality(collection, request, text, earlier, withFeedback, index);
            }
            return withFeedback ? feedback.search(index, request, embedder::embedDocuments) : index.search(request);
        } finally {
            sample.stop(Timer.builder("omnirag.search.latency")
                    .description("Search latency, query embedding included")
                    .tag("mode", mode.name().toLowerCase(java.util.Locale.ROOT))
                    .publishPercentileHistogram()
                    .register(registry));
        }
    }
}
