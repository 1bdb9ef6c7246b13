package dev.omnirag.server.ingest;

/**
 * Undoes the blank lines PDFBox puts between the lines of a page set with wide line spacing. PDFBox starts a
 * paragraph where the gap to the next line exceeds a fixed multiple of the glyph height, so on a page set one and a
 * half or double spaced (theses, manuscripts, many reports) every line became a paragraph of its own, and its
 * sentences were cut at each line end: chunks ended mid-sentence and answers quoted half sentences. A page is read as
 * spaced when at least {@value #MIN_CONTINUATIONS} of its blank lines, and a {@value #MIN_CONTINUATION_SHARE} share of
 * them, fall inside a sentence (the line before ends without a sentence's end, the line after starts in lower case),
 * which a page whose blank lines mark paragraphs never shows. On such a page a single blank line between lines of text
 * is taken out unless the line before it ends a sentence (there it may end a paragraph too, and a caption stays apart
 * from the code under it); the sentence splitter still ends a sentence after a heading. On any other page, a blank
 * line (or two) inside a sentence that runs on from a line of at least {@value #MIN_WORDS} words goes too: a column
 * that ends mid-sentence, which PDFBox ends with a paragraph. Stateless.
 */
final class LineSpacing {

    /** Blank lines inside sentences a page needs at least to be read as spaced. */
    static final int MIN_CONTINUATIONS = 2;

    /** Words the line before a column break needs at least (a page number or a short heading is none). */
    static final int MIN_WORDS = 3;

    /** Share of a page's single blank lines that must fall inside sentences. */
    static final double MIN_CONTINUATION_SHARE = 0.25;

    private LineSpacing() {}

    /**
     * The page without the blank lines of its line spacing, or the page itself when it is not spaced or carries
     * positions (OCR'd words) or regions, whose offsets the text must keep.
     */
    static ParsedDocument.Page join(ParsedDocument.Page page) {
        if (!page.spans().isEmpty() || !page.regions().isEmpty()) {
            return page;
        }
        String[] lines = page.text().split("\n", -1);
        int gaps = 0;
        int continuations = 0;
        for (int i = 1; i + 1 < lines.length; i++) {
            if (singleBlank(lines, i)) {
                gaps++;
                if (continues(lines[i - 1].strip(), lines[i + 1].strip())) {
                    continuations++;
                }
            }
        }
        boolean spaced = continuations >= MIN_CONTINUATIONS && continuations >= MIN_CONTINUATION_SHARE * gaps;
        java.util.List<String> kept = new java.util.ArrayList<>(lines.length);
        for (int i = 0; i < lines.length; i++) {
            if (spaced
                    && i > 0
                    && i + 1 < lines.length
                    && singleBlank(lines, i)
                    && !endsSentence(lines[i - 1].strip())) {
                continue;
            }
            if (!spaced && lines[i].isBlank() && columnBreak(lines, i)) {
                continue;
            }
            kept.add(lines[i]);
        }
        if (kept.size() == lines.length) {
            return page;
        }
        String text = String.join("\n", kept);
        return new ParsedDocument.Page(page.number(), text, page.spans(), page.image(), page.regions(), page.sheet());
    }

    /**
     * Whether blank line {@code i} lies in a run of at most two blank lines inside a sentence that runs on from a line
     * of at least {@value #MIN_WORDS} words: where a column ends mid-sentence and the next one (or the text after a
     * figure) goes on with it, PDFBox starts a paragraph; on a page whose blank lines mark paragraphs, only these go.
     */
    private static boolean columnBreak(String[] lines, int i) {
        int before = i - 1;
        while (before >= 0 && lines[before].isBlank() && i - before <= 2) {
            before--;
        }
        int after = i + 1;
        while (after < lines.length && lines[after].isBlank() && after - before <= 3) {
            after++;
        }
        if (before < 0 || after >= lines.length || after - before - 1 > 2) {
            return false;
        }
        String previous = lines[before].strip();
        return !previous.isEmpty()
                && !lines[after].isBlank()
                && previous.split("\\s+").length >= MIN_WORDS
                && continues(previous, lines[after].strip());
    }

    /** Whether line {@code i} is one blank line between two lines of text. */
    private static boolean singleBlank(String[] lines, int i) {
        return lines[i].isBlank() && !lines[i - 1].isBlank() && !lines[i + 1].isBlank();
    }

    /** Whether a sentence runs on from {@code before} to {@code after}. */
    private static boolean continues(String before, String after) {
        return !endsSentence(before) && Character.isLowerCase(after.codePointAt(0));
    }

    private static boolean endsSentence(String line) {
        return ".!?:;".indexOf(line.charAt(line.length() - 1)) >= 0;
    }
}
