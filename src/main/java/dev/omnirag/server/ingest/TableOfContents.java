package dev.omnirag.server.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a page's tables of contents (and lists of figures or tables) and a book's index, which are kept out of the
 * search index: their lines repeat the document's headings or terms next to page numbers, so such a page matches a
 * query about any of its sections (in both keyword and vector search) and takes a result, or an answer's context,
 * from the section itself. The page text keeps them; only chunking skips them. An index is found under its heading
 * ({@code Index}), as at least {@value #MIN_INDEX_ENTRIES} lines of a term and its page numbers ({@link #index}).
 *
 * <p>An entry is a line that ends in a page number after dot leaders ({@code Resetting the router ....... 7}), after a
 * tab (a Word table of contents), or, under a heading such as {@code Contents}, after spaces. A block is at least
 * three entries whose page numbers never decrease (which tells a contents page from a price list), with blank lines
 * and at most two wrapped lines between entries, and the heading above it. Stateless.
 */
final class TableOfContents {

    /** Entries a block needs at least. */
    static final int MIN_ENTRIES = 3;

    /** Lines of an entry's wrapped title allowed between two entries. */
    private static final int MAX_WRAPPED = 2;

    /** Longest line taken for a wrapped title. */
    private static final int MAX_WRAPPED_CHARS = 160;

    private static final String PAGE = "(\\d{1,4}|[ivxlcdm]{1,7})";

    /** Four or more leader characters (dots, middle dots, ellipses, underscores), spaced or not, then the page. */
    private static final Pattern LEADER = Pattern.compile("(?i).*\\p{L}.*?\\s*(?:[.·•…_]\\s?){4,}\\s*" + PAGE + "\\s*");

    private static final Pattern TAB = Pattern.compile("(?i).*\\p{L}.*?\\t+\\s*" + PAGE + "\\s*");

    /** Digits only: a line under the heading that ends in a word such as "mix" is no entry at page mix. */
    private static final Pattern PLAIN = Pattern.compile(".*\\p{L}.*?\\s+(\\d{1,4})\\s*");

    /** Longest line read as an entry (longer ones are text, and the patterns stay cheap). */
    private static final int MAX_ENTRY_CHARS = 300;

    private static final Pattern HEADING = Pattern.compile(
            "(?i)\\s*(?:table of contents|contents|list of (?:figures|tables|illustrations)|inhaltsverzeichnis|inhalt"
                    + "|table des matières|sommaire|índice|indice|contenido|contenuti)\\s*:?\\s*");

    /** A book's index: its heading alone on a line. */
    private static final Pattern INDEX_HEADING = Pattern.compile(
            "(?i)\\s*(?:index|subject index|general index|alphabetical index|stichwortverzeichnis|register)\\s*");

    /** An index entry: a term, a comma, then page numbers or ranges separated by commas. */
    private static final Pattern INDEX_ENTRY = Pattern.compile(
            ".*\\p{L}.*?,\\s*\\d{1,4}(?:\\s*[-–]\\s*\\d{1,4})?(?:\\s*,\\s*\\d{1,4}(?:\\s*[-–]\\s*\\d{1,4})?)*\\s*");

    /** Entries an index needs at least under its heading. */
    static final int MIN_INDEX_ENTRIES = 5;

    private TableOfContents() {}

    /** Whether {@code line} is the heading of a table of contents, a list of figures or an index. */
    static boolean isHeading(String line) {
        return HEADING.matcher(line).matches() || INDEX_HEADING.matcher(line).matches();
    }

    /** The character ranges of {@code text}'s tables of contents, in order; regions without a box. */
    static List<ParsedDocument.Region> find(String text) {
        if (text.indexOf('\n') < 0) {
            return List.of();
        }
        List<int[]> lines = Lines.ranges(text);
        List<ParsedDocument.Region> out = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            Block block = block(text, lines, i);
            if (block == null) {
                i++;
                continue;
            }
            out.add(new ParsedDocument.Region(lines.get(block.first)[0], lines.get(block.last)[1], null));
            i = block.last + 1;
        }
        return out;
    }

    private record Block(int first, int last) {}

    /** The block that starts at line {@code start} (its heading or first entry), or null. */
    private static Block block(String text, List<int[]> lines, int start) {
        String first = line(text, lines, start);
        if (INDEX_HEADING.matcher(first).matches()) {
            return index(text, lines, start);
        }
        boolean underHeading = HEADING.matcher(first).matches();
        if (!underHeading && entryPage(first, false) == null) {
            return null;
        }
        int entries = 0;
        int lastEntry = -1;
        int previousPage = -1;
        int wrapped = 0;
        for (int j = underHeading ? start + 1 : start; j < lines.size(); j++) {
            String line = line(text, lines, j);
            if (line.isBlank()) {
                continue;
            }
            if (HEADING.matcher(line).matches()) {
                // A list of figures after the contents: its numbers start again.
                underHeading = true;
                previousPage = -1;
                wrapped = 0;
                continue;
            }
            Integer page = entryPage(line, underHeading);
            if (page == null) {
                if (++wrapped > MAX_WRAPPED || line.length() > MAX_WRAPPED_CHARS) {
                    break;
                }
                continue;
            }
            if (page >= 0) {
                if (page < previousPage) {
                    break;
                }
                previousPage = page;
            }
            wrapped = 0;
            entries++;
            lastEntry = j;
        }
        return entries >= MIN_ENTRIES ? new Block(start, lastEntry) : null;
    }

    /**
     * A book's index under its heading ({@code start}): at least {@value #MIN_INDEX_ENTRIES} lines of a term and its
     * page references ({@code Router, resetting, 7, 12-14}), with blank lines and at most {@value #MAX_WRAPPED} lines
     * between them (a main term over its sub-entries, a wrapped term); the page numbers run in no order. Null when
     * fewer entries follow.
     */
    private static Block index(String text, List<int[]> lines, int start) {
        int entries = 0;
        int lastEntry = -1;
        int wrapped = 0;
        for (int j = start + 1; j < lines.size(); j++) {
            String line = line(text, lines, j);
            if (line.isBlank()) {
                continue;
            }
            if (line.length() <= MAX_ENTRY_CHARS && INDEX_ENTRY.matcher(line).matches()) {
                entries++;
                lastEntry = j;
                wrapped = 0;
            } else if (++wrapped > MAX_WRAPPED || line.length() > MAX_WRAPPED_CHARS) {
                break;
            }
        }
        return entries >= MIN_INDEX_ENTRIES ? new Block(start, lastEntry) : null;
    }

    /**
     * The page number an entry line ends in, -1 for a roman numeral (front matter, not ordered with the others), or
     * null when the line is no entry. Plain entries (the page after spaces) count only under a contents heading.
     */
    private static Integer entryPage(String line, boolean underHeading) {
        if (line.length() > MAX_ENTRY_CHARS) {
            return null;
        }
        for (Pattern p : underHeading ? List.of(LEADER, TAB, PLAIN) : List.of(LEADER, TAB)) {
            Matcher m = p.matcher(line);
            if (m.matches()) {
                String page = m.group(1);
                return Character.isDigit(page.charAt(0)) ? Integer.parseInt(page) : -1;
            }
        }
        return null;
    }

    private static String line(String text, List<int[]> lines, int i) {
        return text.substring(lines.get(i)[0], lines.get(i)[1]);
    }
}
