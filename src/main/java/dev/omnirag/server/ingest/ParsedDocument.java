package dev.omnirag.server.ingest;

import dev.omnirag.index.BoundingBox;
import java.util.List;
import java.util.Objects;

/**
 * A file's extracted text, page by page, with the positions OCR and speech recognition give.
 *
 * @param pages the pages in order; an unpaged format (HTML, text, a recording) has one page
 * @param paged true when the format has real pages (PDF pages, slides, sheets, image frames), so page numbers
 *     mean something
 * @param kind what the file is, which decides how its text is completed (OCR, speech recognition) and chunked
 * @param ocrPages page numbers whose text must come from OCR of the rendered page (images, scanned PDF pages)
 * @param note what ingestion should tell the user besides the counts (e.g. that a damaged scan was recovered);
 *     may be null
 * @param description what the file says about itself in embedded metadata (EXIF/XMP/IPTC of an image), kept in
 *     the text stand-in beside what OCR reads; may be empty, never null
 * @param pictures pictures embedded in an office document, to be read by OCR into the text where they stand; empty
 *     when there are none or OCR is off
 * @param title the title the file gives itself in its metadata (a PDF's or an office file's title property), as
 *     written; null when it has none. Often wrong ("Microsoft Word - draft3.docx", a template's title): {@link
 *     ChunkPlanner} uses it only when its first page shows it
 */
public record ParsedDocument(
        List<Page> pages,
        boolean paged,
        Kind kind,
        List<Integer> ocrPages,
        String note,
        String description,
        List<Picture> pictures,
        String title) {

    /** What kind of source the text comes from. */
    public enum Kind {
        TEXT,
        PDF,
        IMAGE,
        AUDIO,
        /**
         * A timed transcript read from a file (captions: WebVTT, SubRip): chunked by time as a recording's, with nothing
         * to recognise.
         */
        TRANSCRIPT
    }

    public ParsedDocument {
        pages = List.copyOf(pages);
        Objects.requireNonNull(kind, "kind must not be null");
        ocrPages = List.copyOf(ocrPages);
        description = description == null ? "" : description;
        pictures = List.copyOf(pictures);
        title = title == null || title.isBlank() ? null : title.strip();
    }

    /** A document without a metadata title. */
    public ParsedDocument(
            List<Page> pages,
            boolean paged,
            Kind kind,
            List<Integer> ocrPages,
            String note,
            String description,
            List<Picture> pictures) {
        this(pages, paged, kind, ocrPages, note, description, pictures, null);
    }

    /** A document without pictures to read. */
    public ParsedDocument(
            List<Page> pages, boolean paged, Kind kind, List<Integer> ocrPages, String note, String description) {
        this(pages, paged, kind, ocrPages, note, description, List.of());
    }

    /** A document without an embedded description. */
    public ParsedDocument(List<Page> pages, boolean paged, Kind kind, List<Integer> ocrPages, String note) {
        this(pages, paged, kind, ocrPages, note, "");
    }

    /** A text document without OCR or speech. */
    public ParsedDocument(List<Page> pages, boolean paged) {
        this(pages, paged, Kind.TEXT, List.of(), null);
    }

    /**
     * One page's text.
     *
     * @param number 1-based
     * @param text the page's text
     * @param spans positioned pieces of the text (OCR words with boxes, recognised words with times), in text
     *     order; empty for text extracted from a text layer
     * @param image true when the page is a picture (an image frame or a scanned page), which can get a native
     *     image vector
     * @param regions parts of a text page chunked on their own, each with its box: a table's rows, a picture's words
     *     (read by OCR); in text order, not overlapping
     * @param sheet the sheet's name when the page is a spreadsheet's sheet (it goes into the locators), else null
     */
    public record Page(int number, String text, List<Span> spans, boolean image, List<Region> regions, String sheet) {
        public Page {
            Objects.requireNonNull(text, "text must not be null");
            spans = List.copyOf(spans);
            regions = List.copyOf(regions);
            sheet = sheet == null || sheet.isBlank() ? null : sheet.strip();
        }

        public Page(int number, String text, List<Span> spans, boolean image, List<Region> regions) {
            this(number, text, spans, image, regions, null);
        }

        public Page(int number, String text, List<Span> spans, boolean image) {
            this(number, text, spans, image, List.of());
        }

        public Page(int number, String text) {
            this(number, text, List.of(), false);
        }
    }

    /**
     * A part of a text page chunked apart from the rest: {@code text.substring(charStart, charEnd)} of its page, a
     * table's rows, the words OCR read in a picture, or an attachment of an e-mail message.
     *
     * @param box where the table or picture is on the page (normalised); null for an e-mail's attachment
     */
    public record Region(int charStart, int charEnd, BoundingBox box) {}

    /**
     * A piece of page text with where it is on the page or when it was said.
     *
     * @param charStart start offset in the page text (inclusive)
     * @param charEnd end offset (exclusive)
     * @param box normalised box on the page (OCR), or null
     * @param startMs start in the recording (speech), or null
     * @param endMs end in the recording (speech), or null
     */
    public record Span(int charStart, int charEnd, BoundingBox box, Long startMs, Long endMs) {}

    public boolean hasText() {
        return pages.stream().anyMatch(p -> !p.text().isBlank());
    }

    /** The same document with other pages (after OCR or speech recognition); its pictures stay to be read. */
    public ParsedDocument withPages(List<Page> newPages, List<Integer> remainingOcr, String newNote) {
        return new ParsedDocument(newPages, paged, kind, remainingOcr, newNote, description, pictures, title);
    }

    /** The same document with {@code newTitle} as its metadata title (see {@link #title()}). */
    public ParsedDocument withTitle(String newTitle) {
        return new ParsedDocument(pages, paged, kind, ocrPages, note, description, pictures, newTitle);
    }

    /**
     * A picture of an office document (a slide's diagram, a screenshot in a report), kept until OCR reads it.
     *
     * @param page the 1-based page (slide) it is on
     * @param offset where in that page's text it stands: its words are put there
     * @param bytes the image file (PNG, JPEG, GIF, BMP or TIFF)
     */
    public record Picture(int page, int offset, byte[] bytes) {
        public Picture {
            Objects.requireNonNull(bytes, "bytes must not be null");
        }
    }
}
