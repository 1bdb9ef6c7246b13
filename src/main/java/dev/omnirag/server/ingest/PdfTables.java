package dev.omnirag.server.ingest;

import dev.omnirag.generator.text.TableText;
import dev.omnirag.index.BoundingBox;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * Finds the tables of a text PDF page from where its words are (PDFBox text positions): a run of at least three
 * lines, each of two or more cells (words separated by a gap wider than two spaces), with the same number of cells
 * and their cells starting at the same places; a cell wrapped onto further lines (lines of fewer cells, each under a
 * column, before the next full row) is joined into its row. Tabula-java, the well-kept choice, is built on PDFBox 2 and cannot
 * share a class path with Tika's PDFBox 3; a ruling-free detector of aligned columns covers the common case
 * (reports, papers, statements) and fails safe: what it does not recognise stays text.
 *
 * <p>Stateless; each call reads one page.
 *
 * <p>Long because finding a table from text positions is one algorithm (lines, cells, columns, wrapped cells, what is
 * not a table) whose steps share its types.
 */
final class PdfTables {

    /** A detected table: its rows of cells (the first is the header) and the rows' box on the page (normalised). */
    record Table(List<List<String>> rows, BoundingBox box, List<String> sourceLines) {
        /** A table whose rows are its lines (no wrapped cells). */
        Table(List<List<String>> rows, BoundingBox box) {
            this(rows, box, rows.stream().map(r -> String.join(" ", r)).toList());
        }
    }

    /** The fewest rows, header included, that make a table. */
    private static final int MIN_ROWS = 3;
    /** A gap between words wider than this many space widths separates cells. */
    private static final double CELL_GAP_SPACES = 2.0;
    /** Cells of a column start within this many space widths of each other on every row. */
    private static final double ALIGN_SPACES = 1.5;

    private PdfTables() {}

    /** The tables among a page's {@code lines} (from {@link #collect}), top to bottom. */
    static List<Table> tables(List<Line> lines, PDRectangle crop) {
        return find(lines, crop);
    }

    /**
     * The page's lines as cells with positions (one pass of PDFBox's text extraction over the page), in the text
     * layer's order; with {@code glyphs} each cell keeps its characters' positions (for highlights of one page).
     */
    static List<Line> collect(PDDocument doc, int number, boolean glyphs) throws IOException {
        return collector(doc, number, glyphs).lines;
    }

    /** A finished pass over page {@code number}: its lines and, with {@code glyphs}, all its glyphs in text order. */
    static LineCollector collector(PDDocument doc, int number, boolean glyphs) throws IOException {
        LineCollector collector = new LineCollector(glyphs);
        collector.setStartPage(number);
        collector.setEndPage(number);
        collector.writeText(doc, new StringWriter());
        collector.endLine();
        return collector;
    }

    /** A line of the page's text layer and its box on the page (normalised, origin top left). */
    record TextLine(String text, BoundingBox box) {}

    /** The lines of page {@code number} (1-based) with their boxes, in PDFBox's reading order. */
    static List<TextLine> lines(PDDocument doc, int number) throws IOException {
        PDRectangle crop = doc.getPage(number - 1).getCropBox();
        List<TextLine> out = new ArrayList<>();
        for (Line l : collect(doc, number, false)) {
            double x = clamp(l.left() / crop.getWidth());
            double y = clamp(l.top() / crop.getHeight());
            double x2 = clamp(l.right() / crop.getWidth());
            double y2 = clamp(l.bottom() / crop.getHeight());
            if (x2 > x && y2 > y) {
                out.add(new TextLine(String.join(" ", l.cells()), new BoundingBox(x, y, x2 - x, y2 - y)));
            }
        }
        return out;
    }

    /**
     * A line of text: its cells, where each starts and ends (points, from the left; y from the top), the line's
     * extent, its widest space, and each cell's glyphs when they were kept (else empty).
     */
    record Line(
            List<String> cells,
            List<Float> starts,
            List<Float> ends,
            float left,
            float right,
            float top,
            float bottom,
            float space,
            List<List<TextPosition>> glyphs) {}

    private static List<Table> find(List<Line> lines, PDRectangle crop) {
        List<Table> out = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            Line head = lines.get(i);
            List<Line> rowLines = new ArrayList<>(List.of(head));
            List<List<String>> rows = new ArrayList<>();
            rows.add(new ArrayList<>(head.cells()));
            List<String> source = new ArrayList<>(List.of(String.join(" ", head.cells())));
            int j = i + 1;
            while (j < lines.size()) {
                if (aligned(head, lines.get(j))) {
                    rowLines.add(lines.get(j));
                    rows.add(new ArrayList<>(lines.get(j).cells()));
                    source.add(String.join(" ", lines.get(j).cells()));
                    j++;
                    continue;
                }
                // A cell wrapped onto the next line(s): lines of fewer cells, each under a column, taken into the row
                // above only when a full row follows (a caption or paragraph after the table is no continuation).
                int k = j;
                while (k < lines.size() && continuation(head, lines.get(k))) {
                    k++;
                }
                if (k == j || k >= lines.size() || !aligned(head, lines.get(k))) {
                    break;
                }
                for (int m = j; m < k; m++) {
                    merge(rows.getLast(), head, lines.get(m));
                    source.add(String.join(" ", lines.get(m).cells()));
                }
                j = k;
            }
            if (head.cells().size() >= 2 && rows.size() >= MIN_ROWS && !listOrCode(rowLines)) {
                float left = Float.MAX_VALUE;
                float right = 0;
                for (int k = i; k < j; k++) {
                    left = Math.min(left, lines.get(k).left());
                    right = Math.max(right, lines.get(k).right());
                }
                double w = crop.getWidth();
                double h = crop.getHeight();
                double x = clamp(left / w);
                double y = clamp(head.top() / h);
                double x2 = clamp(right / w);
                double y2 = clamp(lines.get(j - 1).bottom() / h);
                if (x2 > x && y2 > y) {
                    out.add(new Table(rows, new BoundingBox(x, y, x2 - x, y2 - y), source));
                }
                i = j;
            } else {
                i++;
            }
        }
        return out;
    }

    /** Fewer cells than the table's first line, each starting where one of its columns does. */
    private static boolean continuation(Line head, Line line) {
        if (line.cells().isEmpty() || line.cells().size() >= head.cells().size()) {
            return false;
        }
        for (float start : line.starts()) {
            if (column(head, start, line.space()) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Appends a continuation line's cells to the cells of {@code row} in their columns. */
    private static void merge(List<String> row, Line head, Line line) {
        for (int c = 0; c < line.cells().size(); c++) {
            int col = column(head, line.starts().get(c), line.space());
            row.set(
                    col,
                    row.get(col).isEmpty()
                            ? line.cells().get(c)
                            : row.get(col) + " " + line.cells().get(c));
        }
    }

    /** The column of {@code head} starting within the alignment tolerance of {@code x}, or -1. */
    private static int column(Line head, float x, float space) {
        double tolerance = ALIGN_SPACES * Math.max(head.space(), space);
        for (int c = 0; c < head.starts().size(); c++) {
            if (Math.abs(head.starts().get(c) - x) <= tolerance) {
                return c;
            }
        }
        return -1;
    }

    /**
     * Aligned columns that are no table: a numbered list (the first column counts 1, 2, 3…) or code with comments
     * beside it (a column of {@code //}, {@code #}, {@code --} or {@code /*} lines).
     */
    private static boolean listOrCode(List<Line> rows) {
        String first = rows.getFirst().cells().getFirst().replaceAll("[.)]$", "");
        boolean numbered = first.matches("\\d{1,3}");
        int comments = 0;
        for (int k = 0; k < rows.size(); k++) {
            List<String> cells = rows.get(k).cells();
            numbered &= numbered
                    && cells.getFirst().replaceAll("[.)]$", "").equals(String.valueOf(Integer.parseInt(first) + k));
            if (cells.stream()
                    .anyMatch(
                            c -> c.startsWith("//") || c.startsWith("#") || c.startsWith("--") || c.startsWith("/*"))) {
                comments++;
            }
        }
        return numbered || comments * 2 > rows.size();
    }

    /** Same number of cells (two or more) and every cell starting where the first line's does. */
    private static boolean aligned(Line a, Line b) {
        if (a.cells().size() < 2 || a.cells().size() != b.cells().size()) {
            return false;
        }
        double tolerance = ALIGN_SPACES * Math.max(a.space(), b.space());
        for (int c = 0; c < a.starts().size(); c++) {
            if (Math.abs(a.starts().get(c) - b.starts().get(c)) > tolerance) {
                // Numbers are often right-aligned: a column may align on its cells' ends instead; accept a
                // start within the previous cell's end and the next cell's start only for the first column.
                return false;
            }
        }
        return true;
    }

    /**
     * The page with each table's lines (as the text layer gave them: cells joined by spaces) written as
     * {@link TableText} writes tables, each a {@link ParsedDocument.Region} with the rows' box. A table whose lines
     * are not found as such in the text is left as it is.
     */
    static ParsedDocument.Page apply(ParsedDocument.Page page, List<Table> tables, int groupChars) {
        if (tables.isEmpty() || !page.spans().isEmpty() || !page.regions().isEmpty()) {
            return page;
        }
        String text = page.text();
        List<int[]> lines = Lines.ranges(text);
        StringBuilder out = new StringBuilder();
        List<ParsedDocument.Region> regions = new ArrayList<>();
        int copied = 0;
        int from = 0;
        for (Table table : tables) {
            int[] range = find(text, lines, from, table.sourceLines());
            if (range == null) {
                continue;
            }
            out.append(text, copied, lines.get(range[0])[0]);
            int regionStart = out.length();
            out.append(TableText.render(table.rows(), groupChars));
            regions.add(new ParsedDocument.Region(regionStart, out.length(), table.box()));
            copied = lines.get(range[1])[1];
            from = range[1] + 1;
        }
        if (regions.isEmpty()) {
            return page;
        }
        out.append(text, copied, text.length());
        return new ParsedDocument.Page(page.number(), out.toString(), page.spans(), page.image(), regions);
    }

    /**
     * The first and last line index of consecutive lines (blank ones skipped) that read as the table's source lines,
     * or null.
     */
    private static int[] find(String text, List<int[]> lines, int from, List<String> rows) {
        String first = normal(rows.getFirst());
        for (int i = from; i < lines.size(); i++) {
            if (!normal(text.substring(lines.get(i)[0], lines.get(i)[1])).equals(first)) {
                continue;
            }
            int line = i;
            int row = 1;
            while (row < rows.size()) {
                line++;
                while (line < lines.size()
                        && text.substring(lines.get(line)[0], lines.get(line)[1])
                                .isBlank()) {
                    line++;
                }
                if (line >= lines.size()
                        || !normal(text.substring(lines.get(line)[0], lines.get(line)[1]))
                                .equals(normal(rows.get(row)))) {
                    break;
                }
                row++;
            }
            if (row == rows.size()) {
                return new int[] {i, line};
            }
        }
        return null;
    }

    private static String normal(String s) {
        return s.strip().replaceAll("\\s+", " ");
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    /** Collects the page's lines as cells with positions, in PDFBox's reading order. */
    static final class LineCollector extends PDFTextStripper {
        final List<Line> lines = new ArrayList<>();
        /** Every glyph in text order, when kept (a line whose cells cannot be told apart is still here). */
        final List<TextPosition> all = new ArrayList<>();
        /** Each line's type size (the median of its letters' sizes, points), in the order of {@link #lines}. */
        final List<Float> sizes = new ArrayList<>();
        /** The page's raised digits ({@link Superscripts}), in text order; the cells show them raised. */
        final List<Superscripts.Run> superscripts = new ArrayList<>();

        private final List<TextPosition> current = new ArrayList<>();
        private final boolean keepGlyphs;

        LineCollector(boolean keepGlyphs) throws IOException {
            this.keepGlyphs = keepGlyphs;
            setSortByPosition(false);
        }

        @Override
        protected void writeString(String text, List<TextPosition> positions) {
            current.addAll(positions);
            if (keepGlyphs) {
                all.addAll(positions);
            }
        }

        @Override
        protected void writeLineSeparator() {
            endLine();
        }

        @Override
        protected void writeParagraphEnd() {
            endLine();
        }

        void endLine() {
            if (current.isEmpty()) {
                return;
            }
            List<String> cells = new ArrayList<>();
            List<Float> starts = new ArrayList<>();
            List<Float> ends = new ArrayList<>();
            List<List<TextPosition>> glyphs = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            float cellEnd = 0;
            float space = 0;
            for (TextPosition p : current) {
                space = Math.max(space, p.getWidthOfSpace());
            }
            if (space <= 0) {
                space = 3;
            }
            float left = Float.MAX_VALUE;
            float right = 0;
            float top = Float.MAX_VALUE;
            float bottom = 0;
            boolean[] raised = Superscripts.raised(current);
            superscripts.addAll(Superscripts.runs(current, raised));
            TextPosition previous = null;
            for (int i = 0; i < current.size(); i++) {
                TextPosition p = current.get(i);
                float x = p.getXDirAdj();
                if (previous == null
                        || x - (previous.getXDirAdj() + previous.getWidthDirAdj()) > CELL_GAP_SPACES * space
                        || x < previous.getXDirAdj() - space) {
                    if (!cell.isEmpty()) {
                        cells.add(cell.toString().strip());
                        ends.add(cellEnd);
                        cell.setLength(0);
                    }
                    starts.add(x);
                    glyphs.add(new ArrayList<>());
                    cellEnd = x;
                } else if (x - (previous.getXDirAdj() + previous.getWidthDirAdj()) > 0.3 * space
                        && !raised[i]
                        && !cell.isEmpty()
                        && cell.charAt(cell.length() - 1) != ' ') {
                    cell.append(' ');
                }
                cell.append(raised[i] ? Superscripts.raise(p.getUnicode()) : p.getUnicode());
                if (keepGlyphs) {
                    glyphs.getLast().add(p);
                }
                cellEnd = Math.max(cellEnd, x + p.getWidthDirAdj());
                left = Math.min(left, x);
                right = Math.max(right, x + p.getWidthDirAdj());
                top = Math.min(top, p.getYDirAdj() - p.getHeightDir());
                bottom = Math.max(bottom, p.getYDirAdj());
                previous = p;
            }
            if (!cell.isEmpty()) {
                cells.add(cell.toString().strip());
                ends.add(cellEnd);
            }
            if (cells.size() == starts.size()) {
                lines.add(new Line(
                        cells, starts, ends, left, right, top, bottom, space, keepGlyphs ? glyphs : List.of()));
                sizes.add(typeSize(current));
            }
            current.clear();
        }

        /** The median size of the letters of a line (0 when it has none). */
        private static float typeSize(List<TextPosition> line) {
            List<Float> sizes = new ArrayList<>();
            for (TextPosition p : line) {
                if (p.getUnicode() != null
                        && !p.getUnicode().isEmpty()
                        && Character.isLetter(p.getUnicode().charAt(0))) {
                    sizes.add(p.getFontSizeInPt());
                }
            }
            if (sizes.isEmpty()) {
                return 0;
            }
            sizes.sort(null);
            return sizes.get(sizes.size() / 2);
        }
    }
}
