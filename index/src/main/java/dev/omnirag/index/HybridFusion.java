package dev.omnirag.index;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hybrid search, once for every {@link VectorIndex} backend: which lists a request needs, how deep, and how they are
 * merged into one ranking ({@link #search}); a backend only supplies its keyword and vector lists
 * ({@link Retrievers}), so Lucene and pgvector rank hybrid results identically given the same lists.
 */
final class HybridFusion {

    /** A ranked item of one list: its chunk id and its score in that list (higher is better). */
    record Scored(String chunkId, double score) {}

    /** Descending score, then chunk id in code point order (the order Lucene's sorted doc values use). */
    static final Comparator<Scored> ORDER = (a, b) -> {
        int byScore = Double.compare(b.score(), a.score());
        return byScore != 0 ? byScore : compareCodePoints(a.chunkId(), b.chunkId());
    };

    private HybridFusion() {}

    /** The fused top {@code k} of one keyword and one vector list (see {@link #fuseAll}). */
    static List<Scored> fuse(
            List<Scored> keyword, List<Scored> vector, Fusion fusion, double vectorWeight, int rrfK, int k) {
        return fuseAll(keyword, List.of(vector), fusion, vectorWeight, rrfK, k);
    }

    /**
     * The vector fields of an index: the text embedding, the optional native (multimodal) one, and the optional
     * companion (the same text embedded by a second text model).
     */
    enum VectorField {
        TEXT,
        NATIVE,
        COMPANION
    }

    /**
     * What a backend supplies to a hybrid search: its ranked lists, each best first with scores in the backend's own
     * scale, and how to read a hit's id and score and to give it its fused score.
     *
     * @param <H> the backend's hit
     * @param <E> the backend's checked failure
     */
    interface Retrievers<H, E extends Exception> {
        /** The keyword (BM25) list of at most {@code n} hits. */
        List<H> keyword(int n) throws E;

        /** The nearest {@code n} hits to {@code vector} in {@code field}. */
        List<H> vector(VectorField field, float[] vector, int n) throws E;

        String chunkId(H hit);

        double score(H hit);

        /** The hit with its fused score. */
        H withScore(H hit, double score);
    }

    /**
     * HYBRID (the keyword list and whichever vector lists the request has) or VECTOR with two or more vector lists,
     * fused: the one orchestration every backend runs. Each list is {@code max(hybridCandidates, k)} deep; the result
     * is the fused top k, best first.
     */
    static <H, E extends Exception> List<H> search(
            SearchRequest request, boolean withKeyword, int hybridCandidates, int rrfK, Retrievers<H, E> backend)
            throws E {
        int n = Math.max(hybridCandidates, request.k());
        List<H> keyword = withKeyword ? backend.keyword(n) : null;
        List<List<H>> vectors = new ArrayList<>();
        if (request.queryVector() != null) {
            vectors.add(backend.vector(VectorField.TEXT, request.queryVector(), n));
        }
        if (request.nativeQueryVector() != null) {
            vectors.add(backend.vector(VectorField.NATIVE, request.nativeQueryVector(), n));
        }
        List<H> companion = request.companion() == null
                ? null
                : backend.vector(VectorField.COMPANION, request.companion().vector(), n);
        Map<String, H> byId = new HashMap<>();
        if (keyword != null) {
            keyword.forEach(h -> byId.put(backend.chunkId(h), h));
        }
        vectors.forEach(list -> list.forEach(h -> byId.putIfAbsent(backend.chunkId(h), h)));
        if (companion != null) {
            companion.forEach(h -> byId.putIfAbsent(backend.chunkId(h), h));
        }
        List<Scored> fused = fuseAll(
                keyword == null ? null : scored(keyword, backend),
                vectors.stream().map(list -> scored(list, backend)).toList(),
                companion == null ? null : scored(companion, backend),
                request.companion() == null ? 0 : request.companion().share(),
                request.fusion(),
                request.vectorWeight(),
                rrfK,
                request.k());
        List<H> out = new ArrayList<>(fused.size());
        fused.forEach(f -> out.add(backend.withScore(byId.get(f.chunkId()), f.score())));
        return out;
    }

    private static <H> List<Scored> scored(List<H> hits, Retrievers<H, ?> backend) {
        return hits.stream()
                .map(h -> new Scored(backend.chunkId(h), backend.score(h)))
                .toList();
    }

    /** The fused top {@code k} of a keyword list and vector lists, without a companion list. */
    static List<Scored> fuseAll(
            List<Scored> keyword, List<List<Scored>> vectors, Fusion fusion, double vectorWeight, int rrfK, int k) {
        return fuseAll(keyword, vectors, null, 0, fusion, vectorWeight, rrfK, k);
    }

    /**
     * The fused top {@code k} of a keyword list (null when the request has no keyword side), one or more vector lists
     * (text vectors, native vectors) and an optional companion list (null for none). RRF sums over all lists.
     * WEIGHTED gives the keyword list {@code 1-w}, the companion list {@code w·share} and the other vector lists
     * the rest of {@code w} shared equally; without a keyword list the vector lists share 1 the same way.
     */
    static List<Scored> fuseAll(
            List<Scored> keyword,
            List<List<Scored>> vectors,
            List<Scored> companion,
            double companionShare,
            Fusion fusion,
            double vectorWeight,
            int rrfK,
            int k) {
        Map<String, Double> fused = new HashMap<>();
        if (fusion == Fusion.RRF) {
            if (keyword != null) {
                addReciprocalRanks(keyword, rrfK, fused);
            }
            vectors.forEach(list -> addReciprocalRanks(list, rrfK, fused));
            if (companion != null) {
                addReciprocalRanks(companion, rrfK, fused);
            }
        } else {
            double vectorShare = keyword == null ? 1.0 : vectorWeight;
            if (keyword != null) {
                addNormalised(keyword, 1 - vectorWeight, fused);
            }
            double companionWeight =
                    companion == null || vectors.isEmpty() ? vectorShare : vectorShare * companionShare;
            if (companion != null) {
                addNormalised(companion, companionWeight, fused);
            }
            double others = companion == null ? vectorShare : vectorShare - companionWeight;
            vectors.forEach(list -> addNormalised(list, others / vectors.size(), fused));
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
