package dev.omnirag.reranker;

import dev.omnirag.index.Locator;
import dev.omnirag.index.SearchHit;
import java.util.ArrayList;
import java.util.List;

/** Builds first-stage hits for tests. */
final class Hits {

    private Hits() {}

    /** Hits named h0, h1... with the given texts, scores falling by rank as a fused first stage gives them. */
    static List<SearchHit> of(String... texts) {
        List<SearchHit> hits = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            hits.add(hit("h" + i, texts[i], 1.0 / (60 + i + 1), "text/plain"));
        }
        return hits;
    }

    static SearchHit hit(String id, String text, double score, String mediaType) {
        return new SearchHit(
                id, "doc-" + id, id + ".txt", mediaType, text, score, new Locator(1, 0, text.length()), null);
    }

    static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::chunkId).toList();
    }
}
