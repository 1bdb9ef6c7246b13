package dev.omnirag.index;

import java.util.Map;

/**
 * One ranked chunk.
 *
 * @param chunkId the chunk's id
 * @param documentId its document
 * @param filename its document's file name
 * @param mediaType its document's media type
 * @param text the chunk's text
 * @param score the ranking score (see {@link VectorIndex} for ranges per mode)
 * @param locator where it lies in the document
 * @param metadata its document's user metadata
 */
public record SearchHit(
        String chunkId,
        String documentId,
        String filename,
        String mediaType,
        String text,
        double score,
        Locator locator,
        Map<String, String> metadata) {

    public SearchHit {
        IndexedChunk.requireText("chunkId", chunkId);
        locator = locator == null ? Locator.NONE : locator;
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** The same hit with another score (used by fusion and reranking). */
    public SearchHit withScore(double newScore) {
        return new SearchHit(chunkId, documentId, filename, mediaType, text, newScore, locator, metadata);
    }
}
