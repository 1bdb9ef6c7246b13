package dev.omnirag.index;

import java.util.Map;
import java.util.Objects;

/**
 * One chunk to index.
 *
 * @param chunkId unique, deterministic id (document, version, ordinal)
 * @param documentId the document the chunk belongs to
 * @param filename the document's file name, returned with hits
 * @param mediaType the document's media type, filterable
 * @param text the chunk's text, returned with hits and searched by BM25 unless {@code keywordText} is given
 * @param vector the chunk's embedding; its length must equal the index's dimensions
 * @param locator where the chunk lies in the document
 * @param metadata user metadata of the document, filterable by exact value
 * @param nativeVector optional second embedding in the collection's multimodal space (e.g. a CLIP image vector
 *     of the page the chunk lies on); null when the chunk has none. Its length must equal the index's
 *     {@link VectorIndex#nativeDimensions()}
 * @param companionVector optional embedding of the same text by a second text model (the quality profile's
 *     companion, e.g. e5-small beside bge-small); null when the chunk has none. Its length must equal the index's
 *     {@link VectorIndex#companionDimensions()}
 * @param keywordText optional text that keyword search reads instead of {@code text} (e.g. a PDF chunk with its
 *     line-end hyphenation joined, so "Spi-\nderMonkey" is found as "SpiderMonkey"); null: {@code text}. Hits
 *     still return {@code text}
 */
public record IndexedChunk(
        String chunkId,
        String documentId,
        String filename,
        String mediaType,
        String text,
        float[] vector,
        Locator locator,
        Map<String, String> metadata,
        float[] nativeVector,
        float[] companionVector,
        String keywordText) {

    public IndexedChunk {
        requireText("chunkId", chunkId);
        requireText("documentId", documentId);
        Objects.requireNonNull(text, "text must not be null");
        Objects.requireNonNull(vector, "vector must not be null");
        if (vector.length == 0) {
            throw new IllegalArgumentException("vector must not be empty; chunkId=" + chunkId);
        }
        filename = filename == null ? "" : filename;
        mediaType = mediaType == null ? "" : mediaType;
        locator = locator == null ? Locator.NONE : locator;
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        if (nativeVector != null && nativeVector.length == 0) {
            throw new IllegalArgumentException("nativeVector must not be empty; chunkId=" + chunkId);
        }
        if (companionVector != null && companionVector.length == 0) {
            throw new IllegalArgumentException("companionVector must not be empty; chunkId=" + chunkId);
        }
        keywordText = keywordText == null || keywordText.equals(text) ? null : keywordText;
    }

    /** A chunk whose keyword search reads its own text. */
    public IndexedChunk(
            String chunkId,
            String documentId,
            String filename,
            String mediaType,
            String text,
            float[] vector,
            Locator locator,
            Map<String, String> metadata,
            float[] nativeVector,
            float[] companionVector) {
        this(
                chunkId,
                documentId,
                filename,
                mediaType,
                text,
                vector,
                locator,
                metadata,
                nativeVector,
                companionVector,
                null);
    }

    /** The same chunk with the text keyword search reads (null: its own text). */
    public IndexedChunk withKeywordText(String keyword) {
        return new IndexedChunk(
                chunkId,
                documentId,
                filename,
                mediaType,
                text,
                vector,
                locator,
                metadata,
                nativeVector,
                companionVector,
                keyword);
    }

    /** What keyword search reads: {@code keywordText}, else {@code text}. */
    public String searchedText() {
        return keywordText == null ? text : keywordText;
    }

    /** A chunk without a companion vector. */
    public IndexedChunk(
            String chunkId,
            String documentId,
            String filename,
            String mediaType,
            String text,
            float[] vector,
            Locator locator,
            Map<String, String> metadata,
            float[] nativeVector) {
        this(chunkId, documentId, filename, mediaType, text, vector, locator, metadata, nativeVector, null);
    }

    /** The same chunk with a companion vector. */
    public IndexedChunk withCompanionVector(float[] companion) {
        return new IndexedChunk(
                chunkId,
                documentId,
                filename,
                mediaType,
                text,
                vector,
                locator,
                metadata,
                nativeVector,
                companion,
                keywordText);
    }

    /** A chunk without a native vector. */
    public IndexedChunk(
            String chunkId,
            String documentId,
            String filename,
            String mediaType,
            String text,
            float[] vector,
            Locator locator,
            Map<String, String> metadata) {
        this(chunkId, documentId, filename, mediaType, text, vector, locator, metadata, null, null);
    }

    static void requireText(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank; " + name + "=" + value);
        }
    }
}
