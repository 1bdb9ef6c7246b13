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
     * Hybrid min-max weighted fusion (vector weight 0.5) with vector feedback: the query vector moves towards its
     * three best first-pass hits and the search runs again. Best mean nDCG@10 on the pool (0.508 against 0.502 for
     * fast); it costs a second search and the embedding of three passages (about 36 ms a query on NPL's 11,429
     * documents on 2 cores), and NPL alone scores a little lower with it (0.520 against 0.526).
     */
    QUALITY;

    /** The fusion a request of this profile uses when it does not say. */
    public Fusion fusion(SearchConfig config) {
        return this == QUALITY ? Fusion.WEIGHTED : config.fusion();
    }

    /** Whether a request of this profile uses vector feedback when it does not say. */
    public boolean feedback(SearchConfig config) {
        return this == QUALITY || config.feedback();
    }
}
