package dev.omnirag.server.ingest;

import dev.omnirag.generator.text.TableText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Collects text, starting a page at each page/slide div and a line at each block element. A table (Word,
 * PowerPoint, a sheet, HTML) is written as {@link TableText} writes tables: a line per row, the header repeated
 * before each group of rows; a table inside a cell is read as the cell's text.
 */
final class PageHandler extends DefaultHandler {
    private static final Set<String> BLOCKS = Set.of(
            "p",
            "div",
            "br",
            "li",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "pre",
            "blockquote",
            "dd",
            "dt",
            "title",
            // A web page's landmarks (HtmlLandmarks passes them on).
            "main",
            "article",
            "section",
            "header",
            "footer",
            "aside");
    /** Characters of rows under one copy of a table's header: about 100 tokens, well inside a chunk. */
    static final int TABLE_GROUP_CHARS = 400;

    private final List<StringBuilder> pages = new ArrayList<>();
    private final DocumentParser.Limits limits;
    private StringBuilder current = new StringBuilder();
    private boolean paged;
    private int skipDepth;
    private long chars;
    /** Nesting of table elements; rows and cells are collected for the outermost table only. */
    private int tableDepth;

    private final boolean sheets;
    private int tablesOnPage;
    private List<List<String>> rows;
    private StringBuilder cell;
    /** A sheet's name being read (its heading), and the names read so far by page index. */
    private StringBuilder sheetName;

    private final Map<Integer, String> sheetNames = new HashMap<>();
    /** Embedded pictures' anchors by relationship id or file name: {page index, offset in its text}. */
    final Map<String, int[]> anchors = new HashMap<>();
    /**
     * The lists being read, innermost last: the number of the next item of an ordered list, or -1 for a bulleted
     * one. Each item's line starts with its marker ("3. ", "- "), as in the page people see, so the sentence splitter
     * and the answer's list quotes know it for an item (an ordered list counts from its {@code start}, else 1).
     */
    private final java.util.ArrayDeque<int[]> lists = new java.util.ArrayDeque<>();
    /**
     * The text a superscript ({@code <sup>}) is being read into and where its text starts there, null outside one: its
     * digits are written raised at its end ({@link Superscripts#isRun}), so "previously<sup>12</sup>" stays the word
     * "previously" and "10<sup>6</sup>" reads 10⁶, not 106.
     */
    private StringBuilder superscript;

    private int superscriptStart;
    /**
     * Where the text after the last list item's marker starts, while nothing but whitespace follows it; -1 otherwise.
     * An item whose text is in a paragraph ({@code <li><p>…</p></li>}, as OpenDocument, e-books and many web pages write
     * it) keeps the paragraph on its marker's line: "1. Lift the vehicle.", not "1." alone on a line.
     */
    private int afterMarker = -1;
    /**
     * Whether the text is HTML's: its source line breaks and indentation are spaces (as a browser shows them), outside
     * {@code <pre>}; the handler's own line breaks come from the elements.
     */
    private final boolean html;
    /** Nesting of {@code <pre>} elements, whose whitespace is the text's own. */
    private int preDepth;
    /**
     * Where the footnote or endnote being read starts in the page's text, -1 outside one; and the nesting of
     * paragraphs inside it. OpenDocument writes a note's body where its reference stands ({@code <p class="note">}
     * inside the sentence): it is moved after the page's text, as a PDF's footnotes are, and its number stays raised in
     * the sentence.
     */
    private int noteStart = -1;

    private int noteDepth;

    private final boolean odfNotes;
    /** The notes read on this page, to follow its text. */
    private final List<String> notes = new ArrayList<>();
    /** Whether the link being read is a note's reference, whose digits are raised as a superscript's. */
    private boolean noteReference;
    /** Whether the link being read is a note's way back to its reference ("↩"), which is no text. */
    private boolean backLink;
    /** Why parsing was stopped: a limit was reached (the parser may wrap or swallow the exception). */
    String exceeded;

    PageHandler(DocumentParser.Limits limits, boolean sheets) {
        this(limits, sheets, false);
    }

    /** @param html the text is a web page's or an e-book's: its source whitespace collapses to spaces */
    PageHandler(DocumentParser.Limits limits, boolean sheets, boolean html) {
        this(limits, sheets, html, false);
    }

    /**
     * @param notes the text is an OpenDocument file's, whose {@code <p class="note">} is a footnote's body (a Word
     *     file's paragraph in a style named "Note" is written so too, and is no footnote)
     */
    PageHandler(DocumentParser.Limits limits, boolean sheets, boolean html, boolean notes) {
        this.limits = limits;
        this.sheets = sheets;
        this.html = html;
        this.odfNotes = notes;
    }

    /**
     * Takes the note just read out of the sentence it interrupted: its number ("1", "*", as the note's text starts)
     * stays there, raised when digits; its text waits for the page's end.
     */
    private void endNote() {
        String note = current.substring(Math.min(noteStart, current.length())).strip();
        current.setLength(Math.min(noteStart, current.length()));
        noteStart = -1;
        if (note.isEmpty()) {
            return;
        }
        notes.add(note);
        String[] parts = note.split("\\s+", 2);
        String mark = parts.length == 2 && parts[0].length() <= 4 ? parts[0] : "";
        if (!mark.isEmpty()) {
            // "1 Heading note.", as the note is printed (Tika breaks the line after a heading's note number).
            notes.set(notes.size() - 1, mark + " " + parts[1]);
        }
        if (!mark.isEmpty() && mark.chars().allMatch(Character::isDigit)) {
            current.append(Superscripts.raise(mark));
        } else if (!mark.isEmpty() && mark.chars().noneMatch(Character::isLetterOrDigit)) {
            current.append(mark);
        }
    }

    /** The page's notes after its text, a paragraph each. */
    private void flushNotes() {
        if (noteStart >= 0) {
            endNote();
        }
        if (notes.isEmpty()) {
            return;
        }
        newline();
        for (String note : notes) {
            current.append('\n').append(note).append('\n');
        }
        notes.clear();
    }

    /** Ends the page being collected (unless nothing is on it yet) and starts the next. */
    private void newPage() throws SAXException {
        flushNotes();
        if (!paged && current.toString().isBlank()) {
            current.setLength(0);
        } else {
            pages.add(current);
            current = new StringBuilder();
            if (pages.size() + 1 > limits.maxPages()) {
                limit("the file has more than " + limits.maxPages() + " pages; at most " + limits.maxPages()
                        + " are read (omnirag.ingest.max-pages)");
            }
        }
        paged = true;
        tablesOnPage = 0;
        afterMarker = -1;
    }

    private void limit(String reason) throws SAXException {
        exceeded = reason;
        throw new SAXException(reason);
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
        String name = localName.isEmpty() ? qName : localName;
        if (name.equals("head") || name.equals("script") || name.equals("style")) {
            skipDepth++;
            return;
        }
        String cls = atts.getValue("class");
        // Where an office document's picture stands (OfficePictures): a slide's placeholder, a paragraph's image.
        if (name.equals("div") && "embedded".equals(cls) && atts.getValue("id") != null) {
            anchors.putIfAbsent(atts.getValue("id"), new int[] {pages.size(), current.length()});
        } else if (name.equals("img")
                && atts.getValue("src") != null
                && atts.getValue("src").startsWith("embedded:")) {
            anchors.putIfAbsent(
                    atts.getValue("src").substring("embedded:".length()), new int[] {pages.size(), current.length()});
        }
        if (name.equals("div") && ("page".equals(cls) || "slide-content".equals(cls))) {
            newPage();
            return;
        }
        if (name.equals("p") && noteStart >= 0) {
            noteDepth++;
        } else if (odfNotes
                && name.equals("p")
                && "note".equals(cls)
                && cell == null
                && tableDepth == 0
                && superscript == null) {
            noteStart = current.length();
            noteDepth = 0;
            return;
        }
        // A spreadsheet's sheet: its name (a heading) and its table, or a second table without a heading.
        if (sheets && tableDepth == 0 && (name.equals("h1") || name.equals("table") && tablesOnPage > 0)) {
            newPage();
            if (name.equals("h1")) {
                sheetName = new StringBuilder();
            }
        }
        if (name.equals("table")) {
            if (tableDepth++ == 0) {
                tablesOnPage++;
                newline();
                rows = new ArrayList<>();
            }
            return;
        }
        if (tableDepth == 1 && name.equals("tr")) {
            rows.add(new ArrayList<>());
            return;
        }
        if (tableDepth == 1 && (name.equals("td") || name.equals("th"))) {
            if (rows.isEmpty()) {
                rows.add(new ArrayList<>());
            }
            cell = new StringBuilder();
            return;
        }
        if (name.equals("a") && skipDepth == 0) {
            // Notes in web pages and e-books (ARIA's roles, EPUB's types): "mass.<a role=doc-noteref>3</a>" is 3
            // raised.
            // ARIA's roles and EPUB 3's types say so; an EPUB 2 book or a generated page says it by class (pandoc's
            // "footnote-ref" and "footnote-back", kramdown's "footnote" and "reversefootnote").
            String kind = (atts.getValue("role") + " " + atts.getValue("epub:type") + " " + atts.getValue("class"))
                    .toLowerCase(java.util.Locale.ROOT);
            boolean reference = kind.contains("noteref") || kind.contains("footnote-ref") || kind.contains("fnref");
            boolean back =
                    kind.contains("backlink") || kind.contains("footnote-back") || kind.contains("reversefootnote");
            if (reference && !back && superscript == null) {
                noteReference = true;
                superscript = cell != null ? cell : current;
                superscriptStart = superscript.length();
            } else if (back) {
                backLink = true;
                skipDepth++;
            }
            return;
        }
        if (name.equals("sup") && superscript == null) {
            superscript = cell != null ? cell : current;
            superscriptStart = superscript.length();
            return;
        }
        if (name.equals("ol") || name.equals("ul")) {
            lists.addLast(new int[] {name.equals("ol") ? start(atts.getValue("start")) : -1});
        }
        if (name.equals("pre")) {
            preDepth++;
        }
        if (BLOCKS.contains(name)) {
            if (cell != null) {
                cell.append(' ');
            } else {
                if (name.equals("li")) {
                    // An empty item before this one keeps its own line.
                    afterMarker = -1;
                }
                newline();
                if (name.equals("li") && !lists.isEmpty() && skipDepth == 0) {
                    int[] list = lists.getLast();
                    current.append(list[0] < 0 ? "- " : list[0]++ + ". ");
                    afterMarker = current.length();
                }
            }
        }
    }

    @Override
    public void endElement(String uri, String localName, String qName) {
        String name = localName.isEmpty() ? qName : localName;
        if (name.equals("p") && noteStart >= 0 && noteDepth-- == 0) {
            endNote();
            return;
        }
        if (afterMarker >= 0 && (name.equals("li") || name.equals("ul") || name.equals("ol"))) {
            // An item that ended empty: what follows starts a line of its own, not on its marker's.
            afterMarker = -1;
        }
        if (sheetName != null && name.equals("h1")) {
            sheetNames.put(pages.size(), sheetName.toString());
            sheetName = null;
        }
        if (name.equals("head") || name.equals("script") || name.equals("style")) {
            skipDepth = Math.max(0, skipDepth - 1);
            return;
        }
        if (name.equals("sup")) {
            raiseSuperscript();
            return;
        }
        if (name.equals("a")) {
            if (noteReference) {
                noteReference = false;
                raiseSuperscript();
            } else if (backLink) {
                backLink = false;
                skipDepth = Math.max(0, skipDepth - 1);
            }
            return;
        }
        if ((name.equals("ol") || name.equals("ul")) && !lists.isEmpty()) {
            lists.removeLast();
        }
        if (name.equals("pre")) {
            preDepth = Math.max(0, preDepth - 1);
        }
        if (name.equals("table")) {
            if (--tableDepth == 0) {
                if (cell != null) {
                    rows.getLast().add(cell.toString());
                    cell = null;
                }
                current.append(TableText.render(rows, TABLE_GROUP_CHARS));
                rows = null;
                newline();
            }
            tableDepth = Math.max(0, tableDepth);
            return;
        }
        if (tableDepth == 1 && (name.equals("td") || name.equals("th")) && cell != null) {
            rows.getLast().add(cell.toString());
            cell = null;
            return;
        }
        if (BLOCKS.contains(name)) {
            if (cell != null) {
                cell.append(' ');
            } else {
                newline();
            }
        }
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
        if (skipDepth == 0) {
            append(ch, start, length);
        }
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
        if (skipDepth > 0) {
            return;
        }
        if (html && preDepth == 0) {
            // Tika's own line breaks after blocks (a blank line between paragraphs, as other formats have), not its
            // indentation of list items.
            if (cell != null) {
                // A line break in a cell (Tika writes a cell's <br> so) parts its words.
                if (!cell.isEmpty() && cell.charAt(cell.length() - 1) != ' ') {
                    cell.append(' ');
                }
                return;
            }
            for (int i = start; i < start + length; i++) {
                if (ch[i] == '\n' && tableDepth == 0) {
                    int n = current.length();
                    while (n > 0 && current.charAt(n - 1) == ' ') {
                        current.setLength(--n);
                    }
                    current.append('\n');
                }
            }
            return;
        }
        append(ch, start, length);
    }

    private void append(char[] ch, int start, int length) throws SAXException {
        if (html && preDepth == 0) {
            ch = collapsed(ch, start, length);
            start = 0;
            length = ch.length;
        }
        chars += length;
        if (chars > limits.maxTextChars()) {
            limit("the file has more than " + limits.maxTextChars()
                    + " characters of text (omnirag.ingest.max-text-chars)");
        }
        if (sheetName != null) {
            sheetName.append(ch, start, length);
        }
        if (cell != null) {
            cell.append(ch, start, length);
        } else if (tableDepth > 0) {
            // Between a table's cells: the layout's whitespace, or a caption kept as its own line.
            String between = new String(ch, start, length);
            if (!between.isBlank()) {
                current.append(between.strip()).append('\n');
            }
        } else {
            current.append(ch, start, length);
        }
    }

    /**
     * HTML text with each run of whitespace as one space, none at a line's start or after a space: the source's line
     * breaks and indentation are layout, not the page's.
     */
    private char[] collapsed(char[] ch, int start, int length) {
        StringBuilder into = cell != null ? cell : current;
        char last = into.isEmpty() ? '\n' : into.charAt(into.length() - 1);
        char[] out = new char[length];
        int n = 0;
        for (int i = start; i < start + length; i++) {
            char c = ch[i];
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f') {
                if (last != ' ' && last != '\n') {
                    out[n++] = ' ';
                    last = ' ';
                }
            } else {
                out[n++] = c;
                last = c;
            }
        }
        return n == length ? out : java.util.Arrays.copyOf(out, n);
    }

    /** An ordered list's first number: its {@code start} attribute (a web page's), else 1. */
    private static int start(String start) {
        try {
            return start == null ? 1 : Math.max(0, Integer.parseInt(start.strip()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** The superscript just read, raised when it is digits and still where it started. */
    private void raiseSuperscript() {
        StringBuilder into = superscript;
        superscript = null;
        if (into == null || into != (cell != null ? cell : current) || superscriptStart > into.length()) {
            return;
        }
        String text = into.substring(superscriptStart);
        if (Superscripts.isRun(text.strip())) {
            into.replace(superscriptStart, into.length(), Superscripts.raise(text.strip()));
        }
    }

    private void newline() {
        if (afterMarker >= 0) {
            // A block starting an item's text (or ending an empty item) stays on the marker's line.
            boolean bare = afterMarker <= current.length()
                    && current.subSequence(afterMarker, current.length())
                            .chars()
                            .allMatch(Character::isWhitespace);
            if (bare) {
                current.setLength(afterMarker);
                return;
            }
            afterMarker = -1;
        }
        int n = current.length();
        while (html && n > 0 && current.charAt(n - 1) == ' ') {
            current.setLength(--n);
        }
        if (n > 0 && current.charAt(n - 1) != '\n') {
            current.append('\n');
        }
    }

    ParsedDocument result() {
        flushNotes();
        if (rows != null) {
            // A table the parser never closed (a truncated file): its rows are still text.
            if (cell != null) {
                rows.getLast().add(cell.toString());
            }
            current.append(TableText.render(rows, TABLE_GROUP_CHARS));
            rows = null;
        }
        List<StringBuilder> all = new ArrayList<>(pages);
        all.add(current);
        List<ParsedDocument.Page> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            out.add(new ParsedDocument.Page(
                    i + 1, all.get(i).toString(), List.of(), false, List.of(), sheetNames.get(i)));
        }
        return new ParsedDocument(out, paged);
    }
}
