package dev.omnirag.index;

import java.util.Map;

/**
 * Restricts a search to chunks whose fields equal the given values; null/empty parts do not restrict.
 *
 * @param documentId only chunks of this document
 * @param mediaType only chunks of documents with this media type
 * @param metadata only chunks whose document metadata has every one of these key/value pairs
 */
public record SearchFilter(String documentId, String mediaType, Map<String, String> metadata) {

    public static final SearchFilter NONE = new SearchFilter(null, null, Map.of());

    public SearchFilter {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** True when the filter restricts nothing. */
    public boolean isEmpty() {
        return (documentId == null || documentId.isEmpty())
                && (mediaType == null || mediaType.isEmpty())
                && metadata.isEmpty();
    }
}
