package dev.omnirag.server.search;

import dev.omnirag.embeddings.Embedder;
import dev.omnirag.index.Fusion;
import dev.omnirag.index.SearchFilter;
import dev.omnirag.index.SearchHit;
import dev.omnirag.index.SearchMode;
import dev.omnirag.index.SearchRequest;
import dev.omnirag.server.config.SearchConfig;
import dev.omnirag.server.db.CollectionEntity;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Embeds the query when the mode needs a vector and searches the collection's index. Blocking. */
@ApplicationScoped
public class SearchService {

    private final Embedder embedder;
    private final CollectionIndexes indexes;
    private final SearchConfig config;
    private final MeterRegistry registry;

    SearchService(Embedder embedder, CollectionIndexes indexes, SearchConfig config, MeterRegistry registry) {
        this.embedder = embedder;
        this.indexes = indexes;
        this.config = config;
        this.registry = registry;
    }

    /** Ranked hits, best first. */
    public List<SearchHit> search(CollectionEntity collection, String query, int k, SearchMode mode, Fusion fusion,
            SearchFilter filter) {
        Timer.Sample sample = Timer.start(registry);
        try {
            float[] vector = mode == SearchMode.KEYWORD ? null : embedder.embedQuery(query);
            SearchRequest request = new SearchRequest(query, vector, k, mode, fusion, config.vectorWeight(), filter);
            return indexes.get(collection.id, collection.dimensions).search(request);
        } finally {
            sample.stop(Timer.builder("omnirag.search.latency").description("Search latency, query embedding included")
                    .tag("mode", mode.name().toLowerCase(java.util.Locale.ROOT))
                    .publishPercentileHistogram().register(registry));
        }
    }
}
