package dev.omnirag.index;

/**
 * Where a chunk lies in its source document. Fields are null when they do not apply to the media type.
 *
 * @param page 1-based page number (PDF page, slide, sheet, image frame); null for unpaged text and audio
 * @param charStart start offset (inclusive) in the page's extracted text (or the transcript)
 * @param charEnd end offset (exclusive) in the page's extracted text (or the transcript)
 * @param bbox the region of the page holding the chunk's words (OCR'd pages and images); null otherwise
 * @param startMs start of the chunk in a recording, in milliseconds; null for non-audio
 * @param endMs end of the chunk in a recording, in milliseconds; null for non-audio
 * @param sheet the name of the spreadsheet's sheet the chunk lies on (its {@code page} is the sheet's number); null
 *              for anything else
 */
public record Locator(
        Integer page, Integer charStart, Integer charEnd, BoundingBox bbox, Long startMs, Long endMs, String sheet) {

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
        if (startMs != null && startMs < 0) {
            throw new IllegalArgumentException("startMs must be >= 0; startMs=" + startMs);
        }
        if (startMs != null && endMs != null && endMs < startMs) {
            throw new IllegalArgumentException("endMs must be >= startMs; startMs=" + startMs + ", endMs=" + endMs);
        }
        if (sheet != null && sheet.isBlank()) {
            throw new IllegalArgumentException("sheet must be null or not blank; sheet='" + sheet + "'");
        }
    }

    /** A locator of anything but a spreadsheet: no sheet name. */
    public Locator(Integer page, Integer charStart, Integer charEnd, BoundingBox bbox, Long startMs, Long endMs) {
        this(page, charStart, charEnd, bbox, startMs, endMs, null);
    }

    /** A text locator: page and character range only. */
    public Locator(Integer page, Integer charStart, Integer charEnd) {
        this(page, charStart, charEnd, null, null, null);
    }

    /** The same locator with another bounding box. */
    public Locator withBbox(BoundingBox box) {
        return new Locator(page, charStart, charEnd, box, startMs, endMs, sheet);
    }

    /** The same locator with another time range. */
    public Locator withTime(Long start, Long end) {
        return new Locator(page, charStart, charEnd, bbox, start, end, sheet);
    }

    /** The same locator on the named sheet (null: none). */
    public Locator withSheet(String name) {
        return new Locator(page, charStart, charEnd, bbox, startMs, endMs, name);
    }
}
