package dev.omnirag.server.search;

import dev.omnirag.index.Fusion;
import dev.omnirag.server.config.SearchConfig;

/**
 * A named set of retrieval options, the same for every collection, that a search, ask or chat request may choose
 * ({@code "profile": "quality"}) instead of setting options one by one; {@code omnirag.search.profile} is the
 * server's default. Options a request sets itself ({@code fusion}, {@code feedback}) still win. Chosen on the
 * evaluation pool (Cranfield, CACM, NPL; docs/evaluation.md), never on one collection.
 */
public enum SearchProfile {

    /** Plain hybrid search: the configured fusion (min-max weighted by default), no feedback. The fastest. */
    FAST,

    /**
     * Two passes: plain hybrid search finds the three best passages; the query vector (and the companion query vector,
     * when the collection has a companion space: {@code omnirag.embedder.companion}) moves towards them, and hybrid
     * min-max search runs again with the vector side weighted {@code omnirag.search.quality-vector-weight} (0.6), the
     * companion list taking {@code omnirag.search.companion-share} (a quarter) of it. Best mean nDCG@10 on the pool,
     * and above fast on each collection (docs/evaluation.md); it costs a second search (the passages' vectors are read from the
     * index) and, with a companion, the query's embedding by that model: about 25 ms a query on 2 cores.
     */
    QUALITY;

    /** Default of {@code omnirag.search.quality-vector-weight}: the vector weight of the quality profile's second pass. */
    public static final String QUALITY_VECTOR_WEIGHT = "0.6";

    /** Default of {@code omnirag.search.companion-share}: the companion list's part of the quality profile's vector weight. */
    public static final String COMPANION_SHARE = "0.25";

    /** The fusion a request of this profile uses when it does not say. */
    public Fusion fusion(SearchConfig config) {
        return this == QUALITY ? Fusion.WEIGHTED : config.fusion();
    }

    /** Whether a request of this profile uses vector feedback when it does not say. */
    public boolean feedback(SearchConfig config) {
        return this == QUALITY || config.feedback();
    }
}
