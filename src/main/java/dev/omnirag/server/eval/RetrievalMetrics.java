package dev.omnirag.server.eval;

import java.util.List;
import java.util.Map;

/**
 * Standard ranked-retrieval metrics over one query. {@code judgements} maps document id to graded relevance
 * (0 = not relevant, higher = more relevant); unjudged documents count as not relevant.
 */
public final class RetrievalMetrics {

    private RetrievalMetrics() {}

    /** Normalised discounted cumulative gain at k, with gain = grade and discount = log2(rank + 1). */
    public static double ndcg(List<String> ranking, Map<String, Integer> judgements, int k) {
        double dcg = 0;
        for (int i = 0; i < Math.min(k, ranking.size()); i++) {
            dcg += judgements.getOrDefault(ranking.get(i), 0) / log2(i + 2);
        }
        List<Integer> ideal = judgements.values().stream()
                .filter(g -> g > 0)
                .sorted((a, b) -> b - a)
                .toList();
        double idcg = 0;
        for (int i = 0; i < Math.min(k, ideal.size()); i++) {
            idcg += ideal.get(i) / log2(i + 2);
        }
        return idcg == 0 ? 0 : dcg / idcg;
    }

    /** Share of the relevant documents found in the top k. */
    public static double recall(List<String> ranking, Map<String, Integer> judgements, int k) {
        long relevant = judgements.values().stream().filter(g -> g > 0).count();
        if (relevant == 0) {
            return 0;
        }
        long found = ranking.stream()
                .limit(k)
                .filter(d -> judgements.getOrDefault(d, 0) > 0)
                .count();
        return (double) found / relevant;
    }

    /** Reciprocal rank of the first relevant document within the top k, 0 if none. */
    public static double reciprocalRank(List<String> ranking, Map<String, Integer> judgements, int k) {
        for (int i = 0; i < Math.min(k, ranking.size()); i++) {
            if (judgements.getOrDefault(ranking.get(i), 0) > 0) {
                return 1.0 / (i + 1);
            }
        }
        return 0;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
