package dev.omnirag.index;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges a keyword and a vector result list into one ranking, the same way for every {@link VectorIndex}
 * backend, so Lucene and pgvector rank hybrid results identically given the same two lists.
 */
final class HybridFusion {

    /** A ranked item of one list: its chunk id and its score in that list (higher is better). */
    record Scored(String chunkId, double score) {
    }

    /** Descending score, then chunk id in code point order (the order Lucene's sorted doc values use). */
    static final Comparator<Scored> ORDER = (a, b) -> {
        int byScore = Double.compare(b.score(), a.score());
        return byScore != 0 ? byScore : compareCodePoints(a.chunkId(), b.chunkId());
    };

    private HybridFusion() {
    }

    /**
     * The fused top {@code k}, best first. RRF: {@code sum 1/(rrfK + rank)} with ranks from 1. WEIGHTED: each list
     * min-max normalised to [0, 1] (one hit or all-equal scores count as the list's best), then
     * {@code (1-w)·keyword + w·vector}; a chunk missing from a list gets 0 from it.
     */
    static List<Scored> fuse(List<Scored> keyword, List<Scored> vector, Fusion fusion, double vectorWeight, int rrfK,
            int k) {
        Map<String, Double> fused = new HashMap<>();
        if (fusion == Fusion.RRF) {
            addReciprocalRanks(keyword, rrfK, fused);
            addReciprocalRanks(vector, rrfK, fused);
        } else {
            addNormalised(keyword, 1 - vectorWeight, fused);
            addNormalised(vector, vectorWeight, fused);
        }
        List<Scored> merged = new ArrayList<>(fused.size());
        fused.forEach((id, score) -> merged.add(new Scored(id, score)));
        merged.sort(ORDER);
        return merged.size() > k ? merged.subList(0, k) : merged;
    }

    private static void addReciprocalRanks(List<Scored> list, int rrfK, Map<String, Double> fused) {
        for (int i = 0; i < list.size(); i++) {
            fused.merge(list.get(i).chunkId(), 1.0 / (rrfK + i + 1), Double::sum);
        }
    }

    private static void addNormalised(List<Scored> list, double weight, Map<String, Double> fused) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Scored s : list) {
            min = Math.min(min, s.score());
            max = Math.max(max, s.score());
        }
        double range = max - min;
        for (Scored s : list) {
            double normalised = range > 0 ? (s.score() - min) / range : 1.0;
            fused.merge(s.chunkId(), weight * normalised, Double::sum);
        }
    }

    /** Code point order (String.compareTo compares UTF-16 units, which differs for supplementary characters). */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
