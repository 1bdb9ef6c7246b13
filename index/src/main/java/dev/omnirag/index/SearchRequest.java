package dev.omnirag.index;

import java.util.Objects;

/**
 * A search against one index.
 *
 * @param queryText the query for BM25; required for KEYWORD and HYBRID
 * @param queryVector the embedded query; required for VECTOR and HYBRID
 * @param k number of hits wanted, 1..{@value #MAX_K}
 * @param mode which retriever(s) to use
 * @param fusion how HYBRID merges the two lists (ignored otherwise)
 * @param vectorWeight weight of the vector list in WEIGHTED fusion, 0..1
 * @param filter restrictions applied before ranking
 * @param nativeQueryVector optional query in the index's native (multimodal) space: an image embedding or a
 *     CLIP-style text embedding. With VECTOR or HYBRID it adds a third ranked list, from the native vector
 *     field, to the fusion. VECTOR needs {@code queryVector} or this; HYBRID needs {@code queryText} and one of
 *     the two.
 * @param expansion how the keyword side may widen the query ({@link QueryExpansion#NONE} when null)
 * @param context earlier text of a conversation whose words join the keyword query with less weight (empty when
 *     null); see {@link KeywordContext}
 * @param companion the query in the index's companion space and the share of the vector weight its list gets
 *     ({@link CompanionQuery}); null for none. With VECTOR or HYBRID it adds the companion list to the fusion
 */
public record SearchRequest(
        String queryText,
        float[] queryVector,
        int k,
        SearchMode mode,
        Fusion fusion,
        double vectorWeight,
        SearchFilter filter,
        float[] nativeQueryVector,
        QueryExpansion expansion,
        java.util.List<KeywordContext> context,
        CompanionQuery companion) {

    /**
     * A query embedded by the index's companion text model ({@link VectorIndex#companionDimensions()}).
     *
     * @param vector the query's companion embedding
     * @param share  the part of the vector weight the companion list gets in WEIGHTED fusion, in (0, 1]; the text
     *               (and native) vector lists share the rest. RRF ignores it: every list counts once
     */
    public record CompanionQuery(float[] vector, double share) {
        public CompanionQuery {
            Objects.requireNonNull(vector, "companion vector must not be null");
            if (vector.length == 0) {
                throw new IllegalArgumentException("companion vector must not be empty");
            }
            if (!(share > 0 && share <= 1)) {
                throw new IllegalArgumentException("companion share must be in (0, 1]; share=" + share);
            }
        }
    }

    /** Upper bound on k in the library (the HTTP API allows less). */
    public static final int MAX_K = 1000;

    public SearchRequest {
        Objects.requireNonNull(mode, "mode must not be null");
        fusion = fusion == null ? Fusion.RRF : fusion;
        filter = filter == null ? SearchFilter.NONE : filter;
        expansion = expansion == null ? QueryExpansion.NONE : expansion;
        context = context == null ? java.util.List.of() : java.util.List.copyOf(context);
        if (k < 1 || k > MAX_K) {
            throw new IllegalArgumentException("k must be in 1.." + MAX_K + "; k=" + k);
        }
        if (!(vectorWeight >= 0 && vectorWeight <= 1)) {
            throw new IllegalArgumentException("vectorWeight must be in 0..1; vectorWeight=" + vectorWeight);
        }
        if (mode != SearchMode.VECTOR && (queryText == null || queryText.isBlank())) {
            throw new IllegalArgumentException("queryText must not be blank for mode " + mode);
        }
        if (queryVector != null && queryVector.length == 0) {
            queryVector = null;
        }
        if (nativeQueryVector != null && nativeQueryVector.length == 0) {
            nativeQueryVector = null;
        }
        if (mode != SearchMode.KEYWORD && queryVector == null && nativeQueryVector == null) {
            throw new IllegalArgumentException("queryVector (or nativeQueryVector) is required for mode " + mode);
        }
    }

    /** A request without conversation context. */
    public SearchRequest(
            String queryText,
            float[] queryVector,
            int k,
            SearchMode mode,
            Fusion fusion,
            double vectorWeight,
            SearchFilter filter,
            float[] nativeQueryVector,
            QueryExpansion expansion) {
        this(queryText, queryVector, k, mode, fusion, vectorWeight, filter, nativeQueryVector, expansion, null);
    }

    /** A request without a companion query. */
    public SearchRequest(
            String queryText,
            float[] queryVector,
            int k,
            SearchMode mode,
            Fusion fusion,
            double vectorWeight,
            SearchFilter filter,
            float[] nativeQueryVector,
            QueryExpansion expansion,
            java.util.List<KeywordContext> context) {
        this(
                queryText,
                queryVector,
                k,
                mode,
                fusion,
                vectorWeight,
                filter,
                nativeQueryVector,
                expansion,
                context,
                null);
    }

    /** A request without query expansion. */
    public SearchRequest(
            String queryText,
            float[] queryVector,
            int k,
            SearchMode mode,
            Fusion fusion,
            double vectorWeight,
            SearchFilter filter,
            float[] nativeQueryVector) {
        this(queryText, queryVector, k, mode, fusion, vectorWeight, filter, nativeQueryVector, QueryExpansion.NONE);
    }

    /** A request without a native query vector or query expansion. */
    public SearchRequest(
            String queryText,
            float[] queryVector,
            int k,
            SearchMode mode,
            Fusion fusion,
            double vectorWeight,
            SearchFilter filter) {
        this(queryText, queryVector, k, mode, fusion, vectorWeight, filter, null, QueryExpansion.NONE);
    }

    /** This request with another query vector and k (what feedback searches again with). */
    public SearchRequest withVector(float[] vector, int newK) {
        return new SearchRequest(
                queryText,
                vector,
                newK,
                mode,
                fusion,
                vectorWeight,
                filter,
                nativeQueryVector,
                expansion,
                context,
                companion);
    }

    /** This request with another query vector, companion query vector and k (what feedback searches again with). */
    public SearchRequest withVectors(float[] vector, float[] companionVector, int newK) {
        return new SearchRequest(
                queryText,
                vector,
                newK,
                mode,
                fusion,
                vectorWeight,
                filter,
                nativeQueryVector,
                expansion,
                context,
                companion == null || companionVector == null
                        ? companion
                        : new CompanionQuery(companionVector, companion.share()));
    }

    /** This request with a companion query ({@code null}: none). */
    public SearchRequest withCompanion(CompanionQuery newCompanion) {
        return new SearchRequest(
                queryText,
                queryVector,
                k,
                mode,
                fusion,
                vectorWeight,
                filter,
                nativeQueryVector,
                expansion,
                context,
                newCompanion);
    }

    /** A request with RRF fusion, weight 0.5 and no filter. */
    public static SearchRequest of(String queryText, float[] queryVector, int k, SearchMode mode) {
        return new SearchRequest(queryText, queryVector, k, mode, Fusion.RRF, 0.5, SearchFilter.NONE);
    }
}
