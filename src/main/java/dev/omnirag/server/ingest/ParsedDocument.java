package dev.omnirag.server.ingest;

import java.util.List;

/**
 * A file's extracted text, page by page.
 *
 * @param pages the pages in order; an unpaged format (HTML, text) has one page
 * @param paged true when the format has real pages (PDF pages, slides, sheets), so page numbers mean something
 */
public record ParsedDocument(List<Page> pages, boolean paged) {

    public ParsedDocument {
        pages = List.copyOf(pages);
    }

    /** One page's text. {@code number} is 1-based. */
    public record Page(int number, String text) {
    }

    public boolean hasText() {
        return pages.stream().anyMatch(p -> !p.text().isBlank());
    }
}
