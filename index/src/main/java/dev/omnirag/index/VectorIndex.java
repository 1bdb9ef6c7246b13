package dev.omnirag.index;

import java.util.List;

/**
 * A searchable store of chunks, each with its text, its vector and where it came from.
 *
 * <p>Contract, shared by every implementation (see {@code VectorIndexContractTest}):
 * <ul>
 *   <li><b>Upsert by id.</b> {@link #upsert} replaces any chunk with the same {@code chunkId}; ids are
 *       deterministic, so re-running an ingestion never duplicates.</li>
 *   <li><b>Visibility.</b> Changes are visible to {@link #search} as soon as {@code upsert}/{@code delete*}
 *       return (near-real-time); they are durable across a crash once {@link #commit()} returns. Chunks of
 *       {@link #upsertDeferred} may stay out of {@code search} until the next {@code commit()} returns; every
 *       other method (counts, deletes, stored texts and vectors) sees them at once.</li>
 *   <li><b>Ordering.</b> {@link #search} returns at most {@code k} hits, best first, by descending
 *       {@link SearchHit#score()}; ties are broken by {@code chunkId} ascending so results are stable.</li>
 *   <li><b>Scores.</b> {@code VECTOR}: similarity mapped into [0, 1] (1 = identical direction).
 *       {@code KEYWORD}: BM25, ≥ 0 and unbounded. {@code HYBRID}: the fused score, in [0, 1] for weighted
 *       fusion and (0, 2/(rrfK+1)] for RRF. Scores are comparable only within one result list.</li>
 *   <li><b>Filters</b> restrict every mode before ranking, so a filtered search still returns up to
 *       {@code k} matching hits when that many exist.</li>
 *   <li><b>Threads.</b> Implementations are thread safe: searches run concurrently with each other and with
 *       writes.</li>
 *   <li><b>Native vectors.</b> An index opened with {@link #nativeDimensions()} > 0 keeps a second vector per
 *       chunk (optional per chunk) and ranks it as a third list when a request has a native query vector:
 *       VECTOR fuses the text-vector and native lists, HYBRID fuses all three. Only chunks that have a native
 *       vector appear in the native list. An index without the field refuses native vectors with a
 *       {@link IndexException.NonRetriable} naming the problem.</li>
 *   <li><b>Companion vectors.</b> An index opened with {@link #companionDimensions()} > 0 keeps, per chunk
 *       (optional), the same text embedded by a second text model, and ranks it as one more list when a request
 *       has a {@link SearchRequest.CompanionQuery}; in WEIGHTED fusion that list gets the query's share of the
 *       vector weight. Only chunks with a companion vector appear in it. An index without the field refuses
 *       companion vectors with a {@link IndexException.NonRetriable}.</li>
 * </ul>
 */
public interface VectorIndex extends AutoCloseable {

    /** Vector dimensions every chunk must have. */
    int dimensions();

    /**
     * Dimensions of the optional native vector field (a second vector space, e.g. CLIP image vectors fused with
     * the text path); 0 when the index has none. Chunks may carry a native vector only when this is positive,
     * and a request's native query vector is searched against it.
     */
    default int nativeDimensions() {
        return 0;
    }

    /**
     * Dimensions of the optional companion vector field (the chunk's text embedded by a second text model, searched
     * beside the main one by the quality profile); 0 when the index has none.
     */
    default int companionDimensions() {
        return 0;
    }

    /** A chunk's vector fields. */
    enum VectorField {
        /** The text embedding every chunk has. */
        TEXT,
        /** The optional native (multimodal) vector ({@link #nativeDimensions()}). */
        NATIVE,
        /** The optional companion text vector ({@link #companionDimensions()}). */
        COMPANION
    }

    /**
     * The stored vectors of the given chunks in one field, by chunk id: what was indexed, so a caller need not embed
     * the chunks' texts again (vector feedback). Chunks that do not exist or have no vector in that field are absent.
     * Default: none stored (callers then embed).
     */
    default java.util.Map<String, float[]> vectors(List<String> chunkIds, VectorField field) {
        return java.util.Map.of();
    }

    /**
     * The stored texts of the given chunks, by chunk id, in the order asked: what was indexed, for work done on a
     * chunk after its ingestion (the sentence vectors of extractive answers). Chunks that do not exist are absent.
     */
    java.util.Map<String, String> texts(List<String> chunkIds);

    /** Adds or replaces the given chunks (matched by {@code chunkId}). */
    void upsert(List<IndexedChunk> chunks);

    /**
     * {@link #upsert} for bulk ingestion, where nothing need be found before it is committed: the chunks may stay out
     * of {@link #search} until the next {@link #commit()} returns, so an index that pays per refresh (Lucene writes a
     * segment each time) pays once per commit instead of once per call. Counts, deletes and the stored texts and
     * vectors see them at once. Default: {@link #upsert} (visible at once, which the contract allows).
     */
    default void upsertDeferred(List<IndexedChunk> chunks) {
        upsert(chunks);
    }

    /** Removes every chunk of the document; returns how many were removed. */
    long deleteDocument(String documentId);

    /** Ranked hits for the request; see the class contract for order and score range. */
    List<SearchHit> search(SearchRequest request);

    /** Number of chunks in the index (visible to search). */
    long count();

    /** Number of chunks of one document (visible to search). */
    long countDocument(String documentId);

    /**
     * Chunks per document, for every document with at least one chunk visible to search: document id to
     * chunk count (each count ≥ 1; a document without chunks is absent). The counts agree with
     * {@link #countDocument} and add up to {@link #count()}. Meant for reconciling the index with the
     * database after a crash (finding orphan documents and incomplete ones), so it reads the whole index in
     * one pass: O(chunks), without loading stored fields. The map is a snapshot the caller owns.
     */
    java.util.Map<String, Long> documentChunkCounts();

    /** Makes every change so far durable, and visible to search (deferred upserts included). */
    void commit();

    /** Commits pending changes and releases files; the index is unusable afterwards. */
    @Override
    void close();
}
