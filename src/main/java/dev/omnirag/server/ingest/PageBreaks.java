package dev.omnirag.server.ingest;

import dev.omnirag.generator.text.SentenceSplitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Mends sentences a PDF's page break cut in two. Chunks never cross a page (their locators name one page), so a
 * sentence that runs from the foot of one page to the head of the next was two pieces: neither chunk held it whole,
 * and an answer quoted "… the wheat yield was higher than the fallow plots' by" without the figure. When a page's
 * last line runs on (no sentence's end, at least {@value #MIN_WORDS} words: not a page number or a heading) and the
 * next page starts in lower case, the rest of the sentence (up to its end, within its paragraph and at most
 * {@value #MAX_MOVED} characters) moves to the end of the first page, where the sentence starts and its citation
 * points. Runs after the running headers and footers are gone, on text pages only (an OCR'd page's words carry
 * positions its text must keep). Stateless.
 */
final class PageBreaks {

    /** Words a page's last line needs at least to be read as running on. */
    static final int MIN_WORDS = 3;

    /** Characters that may move at most: a sentence's end, not a page. */
    static final int MAX_MOVED = 600;

    private static final SentenceSplitter SENTENCES = SentenceSplitter.english();

    private PageBreaks() {}

    /** {@code pages} (in order) with each sentence cut by a page break whole on the page it starts on. */
    static List<ParsedDocument.Page> mend(List<ParsedDocument.Page> pages, Set<Integer> scans) {
        List<ParsedDocument.Page> out = new ArrayList<>(pages);
        for (int i = 0; i + 1 < out.size(); i++) {
            ParsedDocument.Page page = out.get(i);
            ParsedDocument.Page next = out.get(i + 1);
            if (next.number() != page.number() + 1 || !plain(page, scans) || !plain(next, scans)) {
                continue;
            }
            int moved = rest(page.text(), next.text());
            if (moved > 0) {
                String head = next.text().substring(0, moved).strip();
                out.set(i, new ParsedDocument.Page(page.number(), page.text().stripTrailing() + "\n" + head + "\n"));
                out.set(
                        i + 1,
                        new ParsedDocument.Page(
                                next.number(), next.text().substring(moved).stripLeading()));
            }
        }
        return out;
    }

    /**
     * Where the sentence running on from {@code text}'s last line ends in {@code next} (an offset into it), or 0 when
     * {@code text} ends no sentence-in-progress or {@code next} does not go on with one.
     */
    static int rest(String text, String next) {
        String last = lastLine(text);
        if (last.isEmpty() || endsSentence(last) || last.split("\\s+").length < MIN_WORDS) {
            return 0;
        }
        int start = 0;
        while (start < next.length() && Character.isWhitespace(next.charAt(start))) {
            start++;
        }
        if (start == next.length() || !Character.isLowerCase(next.codePointAt(start))) {
            return 0;
        }
        int paragraph = next.indexOf("\n\n", start);
        int limit = Math.min(paragraph < 0 ? next.length() : paragraph, start + MAX_MOVED);
        List<SentenceSplitter.Span> spans = SENTENCES.split(next.substring(0, limit));
        if (spans.isEmpty()) {
            return 0;
        }
        int end = spans.getFirst().end();
        // The first sentence must end in the window with its own full stop (a cut window or a heading ends none).
        return endsSentence(next.substring(start, end)) ? end : 0;
    }

    private static boolean plain(ParsedDocument.Page page, Set<Integer> scans) {
        return !scans.contains(page.number())
                && page.spans().isEmpty()
                && page.regions().isEmpty()
                && page.sheet() == null
                && !page.image();
    }

    private static String lastLine(String text) {
        String t = text.stripTrailing();
        return t.substring(t.lastIndexOf('\n') + 1).strip();
    }

    /** Whether {@code s} ends a sentence: {@code .!?:;}, a note's raised number after it allowed. */
    private static boolean endsSentence(String s) {
        s = Superscripts.withoutNoteMark(s);
        int e = s.length();
        while (e > 0 && "\"'’”)".indexOf(s.charAt(e - 1)) >= 0) {
            e--;
        }
        return e > 0 && ".!?:;".indexOf(s.charAt(e - 1)) >= 0;
    }
}
