package dev.omnirag.server.pages;

import java.io.IOException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.TextPosition;

/**
 * Finds where a quoted passage lies on a PDF page: the rectangles (one per line of text) that its characters
 * cover, in fractions of the rendered page (0..1, origin top left), so a client can draw them over the page
 * image.
 *
 * <p>A citation's locator gives offsets into the page text Tika extracted (through PDFBox's text stripper); the
 * same stripper here reports each character's position, in the order ingestion read the page
 * ({@link dev.omnirag.server.ingest.PdfColumns}). The two texts can differ in whitespace and line breaks,
 * so the quote is matched with whitespace removed on both sides (and, failing that, also ignoring case and
 * hyphens); a quote that cannot be found gives no boxes rather than a guess, except that a quote whose beginning (at
 * least {@value #MIN_PREFIX} characters) is on the page gets that beginning's boxes: ingestion keeps a sentence that a
 * page break cut whole on the page it starts on.
 */
public final class QuoteBoxes {

    /** A rectangle in fractions of the page's width and height. */
    public record Box(double x, double y, double w, double h) {}

    /** Characters (whitespace, hyphens and case aside) a quote's beginning needs to be boxed without its end. */
    static final int MIN_PREFIX = 24;

    private QuoteBoxes() {}

    /**
     * The boxes of {@code quote} on page {@code page} (1-based) of {@code pdf}; empty when it is not found there.
     *
     * @throws PageImages.PageOutOfRangeException when the PDF has no such page
     */
    public static List<Box> find(Path pdf, int page, String quote) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            int pages = doc.getNumberOfPages();
            if (page < 1 || page > pages) {
                throw new PageImages.PageOutOfRangeException(page, pages);
            }
            int rotation = doc.getPage(page - 1).getRotation();
            // The glyphs in the order ingestion read the page (column by column where the text layer interleaves
            // columns), so a quote of the page text is found as one run.
            return boxes(dev.omnirag.server.ingest.PdfColumns.glyphs(doc, page), quote, rotation);
        }
    }

    /** Matches {@code quote} against the glyphs' characters and returns one box per line it spans. */
    static List<Box> boxes(List<TextPosition> glyphs, String quote, int rotation) {
        for (boolean lenient : new boolean[] {false, true}) {
            StringBuilder text = new StringBuilder();
            List<TextPosition> owner = new ArrayList<>();
            for (TextPosition g : glyphs) {
                String u = g.getUnicode();
                if (u == null) {
                    continue;
                }
                String norm = normalise(u, lenient);
                for (int i = 0; i < norm.length(); i++) {
                    text.append(norm.charAt(i));
                    owner.add(g);
                }
            }
            String needle = normalise(quote, lenient);
            if (needle.isEmpty()) {
                return List.of();
            }
            int at = text.indexOf(needle);
            if (at >= 0) {
                return lines(owner.subList(at, at + needle.length()), rotation);
            }
            if (lenient) {
                // A sentence the page break cut runs on to the next page (ingestion keeps it whole on the page it
                // starts on): its longest beginning found here, when long enough to be no accident.
                int found = longestPrefix(text, needle);
                if (found >= MIN_PREFIX) {
                    // the last occurrence: the sentence the page break cut stands at the page's end
                    at = text.lastIndexOf(needle.substring(0, found));
                    return lines(owner.subList(at, at + found), rotation);
                }
            }
        }
        return List.of();
    }

    /** The length of the longest beginning of {@code needle} found in {@code text} (a binary search: monotone). */
    private static int longestPrefix(CharSequence text, String needle) {
        String haystack = text.toString();
        int lo = 0;
        int hi = needle.length();
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (haystack.contains(needle.substring(0, mid))) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** NFKC (ligatures become letters), no whitespace; lenient also drops hyphens and case. */
    static String normalise(String s, boolean lenient) {
        String n = Normalizer.normalize(s, Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder(n.length());
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u00AD') {
                continue;
            }
            if (lenient && (c == '-' || c == '\u2010' || c == '\u2011' || c == '\u2212')) {
                continue;
            }
            out.append(c);
        }
        return lenient ? out.toString().toLowerCase(Locale.ROOT) : out.toString();
    }

    private static List<Box> lines(List<TextPosition> matched, int rotation) {
        List<Box> boxes = new ArrayList<>();
        boolean sideways = rotation == 90 || rotation == 270;
        double minX = 0;
        double maxX = 0;
        double top = 0;
        double bottom = 0;
        double baseline = Double.NaN;
        double lineHeight = 0;
        double pageW = 1;
        double pageH = 1;
        TextPosition previous = null;
        for (TextPosition g : matched) {
            if (g == previous) {
                continue; // one glyph can stand for several characters (a ligature)
            }
            previous = g;
            pageW = sideways ? g.getPageHeight() : g.getPageWidth();
            pageH = sideways ? g.getPageWidth() : g.getPageHeight();
            double x = g.getX();
            double y = g.getY();
            double h = Math.max(g.getHeight(), 1);
            double w = Math.max(g.getWidth(), 0);
            // A raised or lowered glyph (a note's number, an exponent) is measured against the line's own height;
            // the next line's baseline lies about twice that height below.
            boolean newLine = Double.isNaN(baseline)
                    || Math.abs(y - baseline) > Math.max(h * 0.6, lineHeight * 0.9)
                    || x + w < minX;
            if (newLine) {
                if (!Double.isNaN(baseline)) {
                    boxes.add(box(minX, top, maxX, bottom, pageW, pageH));
                }
                minX = x;
                maxX = x + w;
                top = y - h * 1.1;
                bottom = y + h * 0.3;
                baseline = y;
                lineHeight = h;
            } else {
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x + w);
                top = Math.min(top, y - h * 1.1);
                bottom = Math.max(bottom, y + h * 0.3);
            }
        }
        if (!Double.isNaN(baseline)) {
            boxes.add(box(minX, top, maxX, bottom, pageW, pageH));
        }
        return boxes;
    }

    private static Box box(double x0, double y0, double x1, double y1, double pageW, double pageH) {
        double x = clamp(x0 / pageW);
        double y = clamp(y0 / pageH);
        return new Box(round(x), round(y), round(clamp(x1 / pageW) - x), round(clamp(y1 / pageH) - y));
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    /** Collects every glyph of the page in the order the text stripper writes them (Tika's order). */
}
