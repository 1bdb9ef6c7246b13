package dev.omnirag.index;

/**
 * Where a chunk lies in its source document. Fields are null when they do not apply to the media type.
 *
 * @param page 1-based page number (PDF page, slide, sheet); null for unpaged text
 * @param charStart start offset (inclusive) in the page's extracted text
 * @param charEnd end offset (exclusive) in the page's extracted text
 */
public record Locator(Integer page, Integer charStart, Integer charEnd) {

    public static final Locator NONE = new Locator(null, null, null);

    public Locator {
        if (page != null && page < 1) {
            throw new IllegalArgumentException("page must be >= 1; page=" + page);
        }
        if (charStart != null && charStart < 0) {
            throw new IllegalArgumentException("charStart must be >= 0; charStart=" + charStart);
        }
        if (charStart != null && charEnd != null && charEnd < charStart) {
            throw new IllegalArgumentException(
                    "charEnd must be >= charStart; charStart=" + charStart + ", charEnd=" + charEnd);
        }
    }
}
