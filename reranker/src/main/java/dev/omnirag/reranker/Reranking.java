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

    /**
     * The first {@code scores.length} hits (the judged ones) by descending score, equal scores in first-stage
     * order, then the hits nobody judged in their first-stage order with score 0; at most {@code k}.
     */
    public static Reranking judged(List<SearchHit> hits, double[] scores, int k) {
        int judged = Math.min(scores.length, hits.size());
        Integer[] order = new Integer[judged];
        for (int i = 0; i < judged; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a])); // stable
        List<SearchHit> out = new java.util.ArrayList<>(Math.min(k, hits.size()));
        for (int i = 0; i < judged && out.size() < k; i++) {
            out.add(hits.get(order[i]).withScore(scores[order[i]]));
        }
        for (int i = judged; i < hits.size() && out.size() < k; i++) {
            out.add(hits.get(i).withScore(0.0));
        }
        return applied(out);
    }

    /** The first-stage order, truncated to k, because the reranker could not judge. */
    public static Reranking unchanged(RerankRequest request, String reason) {
        return new Reranking(
                request.hits().subList(0, Math.min(request.k(), request.hits().size())), false, reason);
    }
}
