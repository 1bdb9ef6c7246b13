package dev.omnirag.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Pseudo-relevance feedback on the query vector (Rocchio in embedding space), above the {@link VectorIndex}
 * contract so every backend gets it: search once, take the vectors of the top {@code hits} results (as the index
 * stored them, {@link VectorIndex#vectors}; a hit without a stored vector has its text embedded), move the query
 * vector towards their mean, {@code q' = normalise(q + weight * normalise(mean))}, and search again with
 * the same text and filters. The keyword side is unchanged; the vector side (and with it the hybrid fusion)
 * sees the moved query. Defaults (3 hits, weight 0.5) are the vector-PRF settings of the literature (Rocchio
 * with a shallow feedback depth), the same ones the local reranker uses. Immutable, thread safe; blocking (two
 * searches, a read of the hits' vectors, and an embedding call only for hits without a stored vector).
 */
public final class VectorFeedback {

    private final int hits;
    private final double weight;

    /**
     * @param hits   first-pass results whose texts move the query, 1..50
     * @param weight how far the query moves, 0.0..5.0
     */
    public VectorFeedback(int hits, double weight) {
        if (hits < 1 || hits > 50) {
            throw new IllegalArgumentException("hits must be in 1..50; hits=" + hits);
        }
        if (!(weight >= 0.0 && weight <= 5.0)) {
            throw new IllegalArgumentException("weight must be in 0.0..5.0; weight=" + weight);
        }
        this.hits = hits;
        this.weight = weight;
    }

    /**
     * The request's results after feedback. Requests without a text query vector (KEYWORD, or only a native
     * vector) and first passes that find nothing are answered by the first pass as it is.
     *
     * @param index    where to search
     * @param request  the search
     * @param embedder embeds passages as documents (the model the index's vectors were made with), one vector
     *                 per text, in order: for hits whose vector the index does not return
     */
    public List<SearchHit> search(
            VectorIndex index, SearchRequest request, Function<List<String>, List<float[]>> embedder) {
        return search(index, request, embedder, null);
    }

    /**
     * As {@link #search(VectorIndex, SearchRequest, Function)}; a request with a companion query also has its
     * companion vector moved, towards {@code companionEmbedder}'s vectors of the same feedback passages.
     *
     * @param companionEmbedder embeds passages as documents with the companion model; null leaves the companion
     *                          query as it is
     */
    public List<SearchHit> search(
            VectorIndex index,
            SearchRequest request,
            Function<List<String>, List<float[]>> embedder,
            Function<List<String>, List<float[]>> companionEmbedder) {
        return search(index, request, request, embedder, companionEmbedder);
    }

    /**
     * Feedback whose passages come from another search than the one repeated: {@code firstPass} finds the feedback
     * passages (e.g. plain hybrid search), {@code request} is searched again with its query vector, and its companion
     * query vector, moved towards them. The two should have the same query and filters.
     *
     * @param firstPass the search whose top {@code hits} results are the feedback; its k is not used
     * @param request   the search repeated with moved vectors; its k is the number of results
     */
    public List<SearchHit> search(
            VectorIndex index,
            SearchRequest firstPass,
            SearchRequest request,
            Function<List<String>, List<float[]>> embedder,
            Function<List<String>, List<float[]>> companionEmbedder) {
        Objects.requireNonNull(index, "index must not be null");
        Objects.requireNonNull(firstPass, "firstPass must not be null");
        Objects.requireNonNull(request, "request must not be null");
        Objects.requireNonNull(embedder, "embedder must not be null");
        if (request.mode() == SearchMode.KEYWORD || request.queryVector() == null) {
            return index.search(request);
        }
        // The first pass only needs the feedback hits.
        List<SearchHit> first = index.search(firstPass.withVector(firstPass.queryVector(), Math.max(hits, 1)));
        if (first.isEmpty()) {
            return first;
        }
        List<SearchHit> top = first.subList(0, Math.min(hits, first.size()));
        float[] moved =
                rocchio(request.queryVector(), vectorsOf(index, top, VectorIndex.VectorField.TEXT, embedder), weight);
        float[] companion = request.companion() == null || companionEmbedder == null
                ? null
                : rocchio(
                        request.companion().vector(),
                        vectorsOf(index, top, VectorIndex.VectorField.COMPANION, companionEmbedder),
                        weight);
        return index.search(request.withVectors(moved, companion, request.k()));
    }

    /**
     * The hits' vectors in {@code field}, in order: as stored in the index (the same vectors their texts embed to,
     * without the embedding's cost), the texts of hits without one embedded in one call.
     */
    private static List<float[]> vectorsOf(
            VectorIndex index,
            List<SearchHit> top,
            VectorIndex.VectorField field,
            Function<List<String>, List<float[]>> embedder) {
        java.util.Map<String, float[]> stored =
                index.vectors(top.stream().map(SearchHit::chunkId).toList(), field);
        List<String> missing = new ArrayList<>();
        for (SearchHit h : top) {
            if (!stored.containsKey(h.chunkId())) {
                missing.add(h.text());
            }
        }
        java.util.Iterator<float[]> embedded = missing.isEmpty()
                ? java.util.Collections.emptyIterator()
                : embedder.apply(missing).iterator();
        List<float[]> out = new ArrayList<>(top.size());
        for (SearchHit h : top) {
            float[] v = stored.get(h.chunkId());
            out.add(v != null ? v : embedded.next());
        }
        return out;
    }

    /** {@code normalise(query + weight * normalise(mean of feedback))}; the query itself when feedback is empty. */
    public static float[] rocchio(float[] query, List<float[]> feedback, double weight) {
        Objects.requireNonNull(query, "query must not be null");
        if (feedback == null || feedback.isEmpty()) {
            return query.clone();
        }
        float[] centroid = new float[query.length];
        for (float[] v : feedback) {
            if (v.length != query.length) {
                throw new IllegalArgumentException(
                        "feedback vectors must have the query's " + query.length + " dimensions; length=" + v.length);
            }
            for (int d = 0; d < centroid.length; d++) {
                centroid[d] += v[d];
            }
        }
        normalise(centroid);
        float[] moved = new float[query.length];
        for (int d = 0; d < moved.length; d++) {
            moved[d] = query[d] + (float) weight * centroid[d];
        }
        return normalise(moved);
    }

    private static float[] normalise(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= (float) norm;
            }
        }
        return v;
    }

    public int hits() {
        return hits;
    }

    public double weight() {
        return weight;
    }

    @Override
    public String toString() {
        return "VectorFeedback[hits=" + hits + ", weight=" + weight + "]";
    }
}
