package dev.omnirag.server.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.TextPosition;

/**
 * Reading order of PDF pages set in two columns whose text layer runs across them. Tika reads a page in the order its
 * text was drawn (PDFBox without sorting), which is the reading order for most files, two-column papers included;
 * some producers, though, draw a page line by line across both columns, and a page's text then interleaves them
 * ("left line 1 right line 1 left line 2 …"). Such a page is recognised from its lines' positions: a gutter (a
 * vertical band between 30 % and 70 % of the width that few text pieces cross), prose on both sides, and a text order
 * that switches sides often, where a page read column by column switches once per band. Prose means pieces of one
 * cell each (no wide gap inside) of 25 characters or more at the median: a table's or a form's rows, split into
 * several short cells, are not columns (on the shared PDFs no page but the interleaved test pages qualifies). Its text
 * is then written column by column: between full-width lines (titles, captions across the page), the left column's
 * lines top to bottom, then the right column's. Every other page keeps the text layer's order.
 *
 * <p>The same order serves the page text at ingestion and the highlights of quotes on the page ({@link #glyphs}), so
 * the offsets of a citation and the characters highlighted agree. Stateless.
 */
public final class PdfColumns {

    /** Pieces needed on each side of the gutter. */
    private static final int MIN_PIECES = 6;
    /** Most pieces that may cross the gutter (titles, captions, equations across the page), as a share of all. */
    private static final double MAX_CROSSING_SHARE = 0.25;
    /** Side switches in text order, as a share of the pieces, from which the columns are interleaved. */
    private static final double MIN_SWITCH_SHARE = 0.3;
    /** Median characters of a side's pieces for it to be prose (a table's cells, a form's labels are shorter). */
    private static final int MIN_MEDIAN_CHARS = 25;
    /**
     * Share of a side's pieces that must be one cell (a run of words without a wide gap): a column of prose is, while
     * a table's or a form's rows split into several cells on each side.
     */
    private static final double MIN_SINGLE_CELL_SHARE = 0.8;
    /** Candidate gutters, as steps of half a percent of the width: 30 % to 70 %, from the middle outwards. */
    private static final int STEPS = 40;

    private PdfColumns() {}

    /**
     * Cells {@code [from, to)} of a line: a column's part of it (side -1 left, +1 right) or the whole line across the
     * gutter (side 0).
     */
    record Piece(PdfTables.Line line, int from, int to, int side) {
        String text() {
            return String.join(" ", line.cells().subList(from, to));
        }
    }

    /**
     * The page's lines in reading order: each line as one piece, in the text layer's order, unless the page has two
     * interleaved columns (see the class comment); then each line's part in either column is a piece of its own, in
     * column order. {@code width} is the page's width in points.
     */
    static List<Piece> order(List<PdfTables.Line> lines, float width) {
        List<Piece> plain = new ArrayList<>(lines.size());
        for (PdfTables.Line l : lines) {
            plain.add(new Piece(l, 0, l.cells().size(), 0));
        }
        double gutter = gutter(lines, width);
        if (Double.isNaN(gutter)) {
            return plain;
        }
        List<Piece> pieces = new ArrayList<>();
        for (PdfTables.Line l : lines) {
            int n = l.cells().size();
            int leftCells = 0;
            boolean crosses = false;
            for (int c = 0; c < n; c++) {
                if (l.starts().get(c) < gutter && l.ends().get(c) > gutter) {
                    crosses = true;
                } else if (l.ends().get(c) <= gutter) {
                    leftCells = c + 1;
                }
            }
            if (crosses) {
                pieces.add(new Piece(l, 0, n, 0));
                continue;
            }
            if (leftCells > 0) {
                pieces.add(new Piece(l, 0, leftCells, -1));
            }
            if (leftCells < n) {
                pieces.add(new Piece(l, leftCells, n, 1));
            }
        }
        int switches = 0;
        int sided = 0;
        int singleCell = 0;
        int previous = 0;
        List<Integer> leftChars = new ArrayList<>();
        List<Integer> rightChars = new ArrayList<>();
        for (Piece p : pieces) {
            if (p.side() == 0) {
                continue;
            }
            sided++;
            singleCell += p.to() - p.from() == 1 ? 1 : 0;
            (p.side() < 0 ? leftChars : rightChars).add(p.text().length());
            if (previous != 0 && p.side() != previous) {
                switches++;
            }
            previous = p.side();
        }
        if (switches < MIN_SWITCH_SHARE * sided
                || singleCell < MIN_SINGLE_CELL_SHARE * sided
                || median(leftChars) < MIN_MEDIAN_CHARS
                || median(rightChars) < MIN_MEDIAN_CHARS) {
            return plain;
        }
        List<Piece> out = new ArrayList<>(pieces.size());
        List<Piece> band = new ArrayList<>();
        for (Piece p : pieces) {
            if (p.side() == 0) {
                flush(band, out);
                out.add(p);
            } else {
                band.add(p);
            }
        }
        flush(band, out);
        return out;
    }

    /** A band's left pieces top to bottom, then its right pieces. */
    private static void flush(List<Piece> band, List<Piece> out) {
        Comparator<Piece> byTop = Comparator.comparingDouble(p -> p.line().top());
        band.stream().filter(p -> p.side() < 0).sorted(byTop).forEach(out::add);
        band.stream().filter(p -> p.side() > 0).sorted(byTop).forEach(out::add);
        band.clear();
    }

    /** Whether {@link #order} changed the text layer's order (the page has interleaved columns). */
    static boolean reordered(List<Piece> order) {
        return order.stream().anyMatch(p -> p.side() != 0);
    }

    /** The pieces' text, a line each. */
    static String text(List<Piece> order) {
        StringBuilder text = new StringBuilder();
        for (Piece p : order) {
            text.append(p.text()).append('\n');
        }
        return text.toString();
    }

    /**
     * The glyphs of page {@code number} (1-based) in the order its text is read at ingestion: the text layer's
     * order, or column by column on a page of interleaved columns.
     */
    public static List<TextPosition> glyphs(PDDocument doc, int number) throws IOException {
        PdfTables.LineCollector pass = PdfTables.collector(doc, number, true);
        List<Piece> order =
                order(pass.lines, doc.getPage(number - 1).getCropBox().getWidth());
        if (!reordered(order)) {
            return pass.all;
        }
        List<TextPosition> out = new ArrayList<>();
        for (Piece p : order) {
            for (List<TextPosition> cell : p.line().glyphs().subList(p.from(), p.to())) {
                out.addAll(cell);
            }
        }
        return out;
    }

    /**
     * The x (points) of the gutter between two columns: the candidate between 30 % and 70 % of the width crossed by
     * fewest cells with at least {@link #MIN_PIECES} cells wholly on each side; NaN when there is none or too many
     * cells cross it (a single-column page, whose lines span the gutter).
     */
    static double gutter(List<PdfTables.Line> lines, float width) {
        int cells = 0;
        for (PdfTables.Line l : lines) {
            cells += l.cells().size();
        }
        if (width <= 0 || cells < 2 * MIN_PIECES) {
            return Double.NaN;
        }
        double best = Double.NaN;
        int bestCrossing = Integer.MAX_VALUE;
        for (int k = 0; k <= STEPS; k++) {
            // 0, +1, -1, +2, -2 …: from the middle outwards, so ties go to the most central gutter.
            int offset = (k + 1) / 2 * (k % 2 == 1 ? 1 : -1);
            double x = width * (0.5 + offset * 0.005);
            int crossing = 0;
            int left = 0;
            int right = 0;
            for (PdfTables.Line l : lines) {
                for (int c = 0; c < l.cells().size(); c++) {
                    if (l.starts().get(c) < x && l.ends().get(c) > x) {
                        crossing++;
                    } else if (l.ends().get(c) <= x) {
                        left++;
                    } else {
                        right++;
                    }
                }
            }
            if (left >= MIN_PIECES && right >= MIN_PIECES && crossing < bestCrossing) {
                best = x;
                bestCrossing = crossing;
            }
        }
        return bestCrossing <= MAX_CROSSING_SHARE * cells ? best : Double.NaN;
    }

    private static int median(List<Integer> values) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Integer> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
