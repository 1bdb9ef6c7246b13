package dev.omnirag.server.search;

import dev.omnirag.embeddings.Embedder;
import dev.omnirag.index.Fusion;
import dev.omnirag.index.SearchFilter;
import dev.omnirag.index.SearchHit;
import dev.omnirag.index.SearchMode;
import dev.omnirag.index.SearchRequest;
import dev.omnirag.reranker.RerankRequest;
import dev.omnirag.reranker.Reranker;
import dev.omnirag.reranker.Reranking;
import dev.omnirag.server.config.SearchConfig;
import dev.omnirag.server.db.CollectionEntity;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Embeds the query when the mode needs a vector, searches the collection's index and, when asked, reranks the
 * first {@code omnirag.reranker.candidates} hits. Blocking.
 */
@ApplicationScoped
public class SearchService {

    private static final Logger LOG = Logger.getLogger(SearchService.class);

    private final Embedder embedder;
    private final CollectionIndexes indexes;
    private final SearchConfig config;
    private final Rerankers rerankers;
    private final MeterRegistry registry;

    SearchService(Embedder embedder, CollectionIndexes indexes, SearchConfig config, Rerankers rerankers,
            MeterRegistry registry) {
        this.embedder = embedder;
        this.indexes = indexes;
        this.config = config;
        this.rerankers = rerankers;
        this.registry = registry;
    }

    /**
     * Ranked hits and how they were reranked.
     *
     * @param hits           best first, at most k
     * @param rerank         the reranker that was asked for: none, local or mllm
     * @param rerankFailure  why the reranker could not judge and the first-stage order stands; null otherwise
     */
    public record Ranked(List<SearchHit> hits, String rerank, String rerankFailure) {
    }

    /** Ranked hits, best first, without reranking. */
    public List<SearchHit> search(CollectionEntity collection, String query, int k, SearchMode mode, Fusion fusion,
            SearchFilter filter) {
        return first(collection, query, k, mode, fusion, filter);
    }

    /**
     * Ranked hits, reranked as {@code rerank} asks (none, local, mllm; null or blank: the configured default).
     * Unknown or unconfigured rerankers are an IllegalArgumentException naming the field.
     */
    public Ranked search(CollectionEntity collection, String query, int k, SearchMode mode, Fusion fusion,
            SearchFilter filter, String rerank) {
        Optional<Reranker> reranker = rerankers.select(rerank);
        if (reranker.isEmpty()) {
            return new Ranked(first(collection, query, k, mode, fusion, filter), "none", null);
        }
        Reranker r = reranker.get();
        List<SearchHit> candidates = first(collection, query, Math.max(k, rerankers.candidates()), mode, fusion, filter);
        Timer.Sample sample = Timer.start(registry);
        Reranking reranking;
        try {
            reranking = r.rerank(new RerankRequest(query, candidates, k));
        } finally {
            sample.stop(Timer.builder("omnirag.rerank.latency").description("Time to rerank the candidates of one query")
                    .tag("reranker", r.name()).publishPercentileHistogram().register(registry));
        }
        if (!reranking.applied()) {
            LOG.warnf("Reranker %s could not judge; first-stage order stands: %s", r.name(), reranking.reason());
            registry.counter("omnirag.rerank.fallbacks", "reranker", r.name()).increment();
        }
        return new Ranked(reranking.hits(), r.name(), reranking.reason());
    }

    private List<SearchHit> first(CollectionEntity collection, String query, int k, SearchMode mode, Fusion fusion,
            SearchFilter filter) {
        Timer.Sample sample = Timer.start(registry);
        try {
            float[] vector = mode == SearchMode.KEYWORD ? null : embedder.embedQuery(query);
            SearchRequest request = new SearchRequest(query, vector, k, mode, fusion, config.vectorWeight(), filter);
            return indexes.get(collection.id, collection.dimensions).search(request);
        } finally {
            sample.stop(Timer.builder("omnirag.search.latency").description("Search latency, query embedding included")
                    .tag("mode", mode.name().toLowerCase(Locale.ROOT))
                    .publishPercentileHistogram().register(registry));
        }
    }
}
