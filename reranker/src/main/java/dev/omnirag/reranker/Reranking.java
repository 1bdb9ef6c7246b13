package dev.omnirag.reranker;

import dev.omnirag.index.SearchHit;
import java.util.List;

/**
 * A reranker's answer.
 *
 * @param hits    at most k hits, best first; null becomes empty
 * @param applied true when the reranker judged the hits; false when it could not and the first-stage order
 *                stands
 * @param reason  why it could not; non-blank exactly when {@code applied} is false, else null
 */
public record Reranking(List<SearchHit> hits, boolean applied, String reason) {

    public Reranking {
        hits = hits == null ? List.of() : List.copyOf(hits);
        if (!applied && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("reason must not be blank when applied is false; reason=" + reason);
        }
        if (applied && reason != null) {
            throw new IllegalArgumentException("reason must be null when applied is true; reason=" + reason);
        }
    }

    /** The hits as judged by the reranker. */
    public static Reranking applied(List<SearchHit> hits) {
        return new Reranking(hits, true, null);
    }

    /** The first-stage order, truncated to k, because the reranker could not judge. */
    public static Reranking unchanged(RerankRequest request, String reason) {
        return new Reranking(request.hits().subList(0, Math.min(request.k(), request.hits().size())), false, reason);
    }
}
