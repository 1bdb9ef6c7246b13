package dev.omnirag.server.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pdfbox.text.TextPosition;

/**
 * Raised digits of a PDF's text layer written as superscript characters. A PDF has no superscript characters, only
 * smaller glyphs set above the line, and its text layer glues them to the word before: a citation "previously¹²"
 * read "previously12", a footnote marker "costs³" read "costs3", an exponent "10⁶" read "106" (a wrong number) and
 * "m²" read "m2". The keyword index could not find such a word ("previously12" is one token) and answers quoted the
 * wrong figures. As superscripts the word stays a word ({@code ¹²} makes no token) and the number reads as printed.
 *
 * <p>A run of digits (with commas and dashes between them, as in "1,3" or "3–5", and a leading minus) is raised when
 * each of its glyphs is at most {@value #MAX_SIZE_SHARE} of the size of the glyph right before the run and its
 * baseline at least {@value #MIN_RISE_SHARE} of that size above that glyph's, at most {@value #MAX_GAP_SPACES} space
 * widths after it (a column beside it in a smaller type is no note). A run with no glyph before it on its
 * line (a footnote's own number at the page's foot, "¹⁴C") is left as it is, as are lowered digits (a chemical
 * formula "H2O" is searched as such). A web page's {@code <sup>} digits are raised the same way ({@link #isRun}, by
 * {@code PageHandler}). Stateless.
 */
final class Superscripts {

    /** A raised glyph is at most this share of the size of the glyph it follows. */
    static final double MAX_SIZE_SHARE = 0.85;

    /** A raised glyph's baseline is at least this share of the size of the glyph it follows above that glyph's. */
    static final double MIN_RISE_SHARE = 0.2;

    /** A raised run starts at most this many space widths after the glyph it follows. */
    static final double MAX_GAP_SPACES = 1.5;

    /** Characters after the last run found that the next run is looked for in. */
    static final int SEARCH_WINDOW = 20_000;

    /** A gap wider than this many space widths is a space in the text layer (PDFBox's own threshold is near it). */
    private static final double WORD_GAP = 0.3;

    /** Characters of the text layer before a run that locate it in the page's text. */
    private static final int CONTEXT = 4;

    private static final String DIGITS = "0123456789";
    private static final Pattern RUN = Pattern.compile("[-−–]?[0-9]+(?:[,–-][0-9]+)*");
    /** The superscript digits, in order of their values. */
    static final String RAISED_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    /**
     * A raised run as the text layer reads it: {@code before} (the characters right before it, on the same line),
     * {@code digits} (the run's characters), whether {@code before} starts a word ({@code wordStart}: the whole word is
     * there, so "m" of "m²" is not found in "from 2"), and whether the run stands a little apart from it ({@code
     * spaced}: the text layer may have put a space between them).
     */
    record Run(String before, String digits, boolean wordStart, boolean spaced) {

        /** A run right after its word, which may be longer than {@code before} (a Word run's). */
        Run(String before, String digits) {
            this(before, digits, false, false);
        }

        /** The run as printed: its digits as superscript characters. */
        String shown() {
            return raise(digits);
        }

        /** Where the run is in a text: its word's end, the space if {@code spaced}, its digits (group 1). */
        Pattern pattern() {
            return Pattern.compile((wordStart ? "(?<![\\p{L}\\p{N}])" : "")
                    + Pattern.quote(before)
                    + (spaced ? " ?(" : "(")
                    + Pattern.quote(digits)
                    + ")(?![0-9])");
        }
    }

    private Superscripts() {}

    /** Which glyphs of one line (in text order) are raised digits, each run following a glyph of the line. */
    static boolean[] raised(List<TextPosition> line) {
        boolean[] out = new boolean[line.size()];
        int i = 0;
        while (i < line.size()) {
            TextPosition base = i > 0 ? line.get(i - 1) : null;
            int end = i;
            if (base != null && !isBlank(base) && !out[i - 1]) {
                while (end < line.size()
                        && runChar(line.get(end))
                        && above(line.get(end), base)
                        // close after the glyph before (a note's number may stand a space off), not across a gutter
                        && gap(line.get(end - 1), line.get(end)) <= MAX_GAP_SPACES * space(base)) {
                    end++;
                }
                // A run starts with a digit or a minus and ends with a digit ("1,3", "−6"), and a minus needs a digit.
                while (end > i && !isDigit(line.get(end - 1))) {
                    end--;
                }
                if (end > i
                        && (isDigit(line.get(i)) || "-−–".contains(line.get(i).getUnicode()))) {
                    for (int j = i; j < end; j++) {
                        out[j] = true;
                    }
                    i = end;
                    continue;
                }
            }
            i++;
        }
        return out;
    }

    /** The raised runs of one line ({@link #raised}), each with the characters before it. */
    static List<Run> runs(List<TextPosition> line, boolean[] raised) {
        List<Run> out = new ArrayList<>();
        for (int i = 0; i < line.size(); i++) {
            if (!raised[i] || (i > 0 && raised[i - 1])) {
                continue;
            }
            StringBuilder before = new StringBuilder();
            boolean wordStart = false;
            for (int j = i - 1; j >= 0 && !isBlank(line.get(j)); j--) {
                if (before.length() >= CONTEXT) {
                    break;
                }
                before.insert(0, line.get(j).getUnicode());
                if (j == 0
                        || isBlank(line.get(j - 1))
                        || gap(line.get(j - 1), line.get(j)) > WORD_GAP * space(line.get(j))) {
                    wordStart =
                            true; // the word starts here: the text layer has a space (or the line's start) before it
                    break;
                }
            }
            StringBuilder digits = new StringBuilder();
            for (int j = i; j < line.size() && raised[j]; j++) {
                digits.append(line.get(j).getUnicode());
            }
            boolean spaced = i > 0 && gap(line.get(i - 1), line.get(i)) > WORD_GAP * space(line.get(i - 1));
            out.add(new Run(before.toString(), digits.toString(), wordStart, spaced));
        }
        return out;
    }

    /**
     * {@code text} (a page's text layer, read in the same order the runs were found) with each run's digits raised
     * where the run's characters and the ones before it are found (a space between them, which a PDF's text layer may
     * put there, is dropped unless {@code sameLength}, which keeps every offset into the text). A run not found changes
     * nothing.
     */
    static String apply(String text, List<Run> runs, boolean sameLength) {
        if (runs.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        for (Run run : runs) {
            // Runs come in the text's order: each is looked for a short way on, so runs never found cost no more
            // than that window each.
            Matcher m = run.pattern()
                    .matcher(text)
                    .region(at, Math.min(text.length(), at + SEARCH_WINDOW))
                    .useTransparentBounds(true);
            if (!m.find()) {
                continue;
            }
            // The space goes (a note's number belongs to the word before it) unless a word follows ("the ¹⁴C").
            boolean wordAfter = m.end() < text.length() && Character.isLetter(text.charAt(m.end()));
            int keptTo = sameLength || wordAfter
                    ? m.start(1)
                    : m.start() + run.before().length();
            out.append(text, at, keptTo).append(run.shown());
            at = m.end();
        }
        return out.append(text, at, text.length()).toString();
    }

    /** {@code digits} with its digits and minus signs as superscript characters; commas stay. */
    static String raise(String digits) {
        StringBuilder out = new StringBuilder(digits.length());
        for (char c : digits.toCharArray()) {
            int d = DIGITS.indexOf(c);
            out.append(d >= 0 ? RAISED_DIGITS.charAt(d) : c == '-' || c == '−' || c == '–' ? '⁻' : c);
        }
        return out.toString();
    }

    /**
     * Whether {@code text} (what a document marks as superscript, e.g. a web page's {@code <sup>}) is a run this class
     * raises: digits, with commas and dashes between them and a leading minus ("12", "1,3", "3–5", "-6").
     */
    static boolean isRun(String text) {
        return RUN.matcher(text).matches();
    }

    /**
     * {@code line} without a note's raised number at its end ("shown before.¹²", "work.¹,²"): what is left ends the
     * sentence or not. A comma stays unless raised digits stand on both sides of it ("U.S.," keeps its comma).
     */
    static String withoutNoteMark(String line) {
        int e = line.length();
        while (e > 0) {
            char c = line.charAt(e - 1);
            if (isRaised(c)) {
                e--;
            } else if (c == ','
                    && e < line.length()
                    && isRaised(line.charAt(e))
                    && e >= 2
                    && isRaised(line.charAt(e - 2))) {
                e--;
            } else {
                break;
            }
        }
        return line.substring(0, e);
    }

    /** Whether {@code c} is a superscript digit or minus ({@link #raise}), which ends no word a reader types. */
    static boolean isRaised(char c) {
        return RAISED_DIGITS.indexOf(c) >= 0 || c == '⁻';
    }

    private static boolean above(TextPosition p, TextPosition base) {
        float size = size(base);
        return size > 0
                && size(p) <= MAX_SIZE_SHARE * size
                && base.getYDirAdj() - p.getYDirAdj() >= MIN_RISE_SHARE * size;
    }

    /** The horizontal distance from the end of {@code a} to the start of {@code b}. */
    private static float gap(TextPosition a, TextPosition b) {
        return b.getXDirAdj() - (a.getXDirAdj() + a.getWidthDirAdj());
    }

    private static float space(TextPosition p) {
        float space = p.getWidthOfSpace();
        return space > 0 ? space : 0.25f * size(p);
    }

    private static float size(TextPosition p) {
        float pt = p.getFontSizeInPt();
        return pt > 0 ? pt : p.getHeightDir();
    }

    private static boolean runChar(TextPosition p) {
        String u = p.getUnicode();
        return u != null && u.length() == 1 && (DIGITS.contains(u) || ",-−–".contains(u));
    }

    private static boolean isDigit(TextPosition p) {
        String u = p.getUnicode();
        return u != null && u.length() == 1 && DIGITS.contains(u);
    }

    private static boolean isBlank(TextPosition p) {
        return p.getUnicode() == null || p.getUnicode().isBlank();
    }
}
