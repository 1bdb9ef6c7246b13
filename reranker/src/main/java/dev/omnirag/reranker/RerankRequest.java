package dev.omnirag.reranker;

import dev.omnirag.index.SearchHit;
import java.util.List;

/**
 * What to rerank.
 *
 * @param query the user's query; not blank
 * @param hits  first-stage hits, best first; not null, no null elements (copied)
 * @param k     most hits to return, at least 1
 */
public record RerankRequest(String query, List<SearchHit> hits, int k) {

    public RerankRequest {
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException(
                    "query must not be blank; query=" + (query == null ? "null" : "\"" + query + "\""));
        }
        if (hits == null) {
            throw new IllegalArgumentException("hits must not be null; pass an empty list when nothing was found");
        }
        for (int i = 0; i < hits.size(); i++) {
            if (hits.get(i) == null) {
                throw new IllegalArgumentException("hits must not contain null; hits[" + i + "]=null");
            }
        }
        hits = List.copyOf(hits);
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1; k=" + k);
        }
    }
}
