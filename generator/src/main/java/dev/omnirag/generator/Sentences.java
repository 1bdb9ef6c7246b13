package dev.omnirag.generator;

import java.text.BreakIterator;
import java.text.StringCharacterIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Splits text into sentence spans whose offsets are exact in the original text (citations quote them).
 * Stateless; a new {@link BreakIterator} per call because BreakIterator is not thread safe.
 */
final class Sentences {

    /** Longer "sentences" (tables, run-on PDF text) are cut at line breaks so each one stays quotable. */
    static final int MAX_CHARS = 400;
    /** Fragments with fewer words (headings, page numbers, affiliations) do not answer questions. */
    static final int MIN_WORDS = 4;
    /** Below this share of letters among non-space characters a fragment is code, a table or a formula. */
    private static final double MIN_LETTER_SHARE = 0.6;
    private static final String BULLETS = "•◦▪‣●○■□►";
    /** A word hyphenated across a line break ("Spi-\nderMonkey"): the hyphen is the typesetter's, not the word's. */
    static final Pattern HYPHENATED_WORD = Pattern.compile("(\\p{L})-[ \\t]*\\r?\\n\\s*(\\p{Ll})");
    /** A hyphen before a line break and a capital ("Trace-\nMonkey"): keep the hyphen, drop the break. */
    private static final Pattern HYPHEN_BEFORE_CAPITAL = Pattern.compile("(\\p{L})-[ \\t]*\\r?\\n\\s*");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /** A sentence: {@code text.substring(start, end)}. */
    record Span(int start, int end) {
    }

    private Sentences() {
    }

    static List<Span> split(String text, Locale locale) {
        List<Span> out = new ArrayList<>();
        BreakIterator it = BreakIterator.getSentenceInstance(locale);
        for (Span block : blocks(text)) {
            // The character iterator keeps absolute offsets, so no shifting is needed.
            it.setText(new StringCharacterIterator(text, block.start(), block.end(), block.start()));
            int start = it.first();
            for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
                // "Dr. Lena Ortiz", "Fig. 3", "et al. showed": a period after an abbreviation or an initial does not
                // end the sentence, though BreakIterator breaks there when a capital follows.
                while (end < block.end() && endsWithAbbreviation(text, start, end)) {
                    int next = it.next();
                    if (next == BreakIterator.DONE) {
                        break;
                    }
                    end = next;
                }
                for (Span piece : cutLong(text, trim(text, start, end))) {
                    if (looksLikeProse(text, piece)) {
                        out.add(piece);
                    } else {
                        out.addAll(proseLines(text, piece));
                    }
                }
            }
        }
        return out;
    }

    /** Abbreviations whose period is not a sentence's end (matched case-sensitively, as written). */
    private static final java.util.Set<String> ABBREVIATIONS = java.util.Set.of("Dr.", "Mr.", "Mrs.", "Ms.", "Prof.",
            "Sr.", "Jr.", "St.", "Mt.", "Gen.", "Col.", "Capt.", "Lt.", "Sgt.", "Rev.", "Hon.", "vs.", "e.g.", "i.e.",
            "cf.", "al.", "Fig.", "Figs.", "Eq.", "Eqs.", "Tab.", "Sec.", "Ch.", "No.", "Nos.", "Vol.", "pp.", "p.",
            "approx.", "ca.", "U.S.", "U.K.", "E.U.", "Inc.", "Ltd.", "Corp.", "Jan.", "Feb.", "Mar.", "Apr.", "Jun.",
            "Jul.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.", "Dec.");

    /**
     * Whether the sentence {@code text[start, end)} ends in an abbreviation or a single capital's initial
     * ("J. Smith"), so that BreakIterator's break after it is no sentence end.
     */
    static boolean endsWithAbbreviation(String text, int start, int end) {
        int e = end;
        while (e > start && Character.isWhitespace(text.charAt(e - 1))) {
            e--;
        }
        if (e <= start || text.charAt(e - 1) != '.') {
            return false;
        }
        int b = e - 1;
        while (b > start && !Character.isWhitespace(text.charAt(b - 1)) && text.charAt(b - 1) != '(') {
            b--;
        }
        String word = text.substring(b, e);
        return ABBREVIATIONS.contains(word) || (word.length() == 2 && Character.isUpperCase(word.charAt(0)));
    }

    /**
     * Paragraphs. BreakIterator ignores single newlines (good: PDF lines break mid-sentence) but so merges
     * headings, bullets and paragraphs with the sentence before them. A new block therefore starts after a blank
     * line, at a bullet, and after a short line (under 60% of the longest) that does not end in a hyphen or comma
     * when the next line starts like a sentence: in extracted PDF text such a line is a heading or a paragraph's end;
     * likewise after a line ending in {@code .!?:}, so that a numbered heading ("1. Introduction") stays apart.
     */
    private static List<Span> blocks(String text) {
        int longest = 0;
        for (int lineStart = 0; lineStart < text.length(); ) {
            int lineEnd = lineEnd(text, lineStart);
            longest = Math.max(longest, text.substring(lineStart, lineEnd).strip().length());
            lineStart = lineEnd + 1;
        }
        List<Span> blocks = new ArrayList<>();
        int blockStart = 0;
        String previous = null;
        for (int lineStart = 0; lineStart < text.length(); ) {
            int lineEnd = lineEnd(text, lineStart);
            String line = text.substring(lineStart, lineEnd).strip();
            if (!line.isEmpty() && lineStart > blockStart && previous != null && (previous.isEmpty()
                    || startsWithBullet(line)
                    || (endsLikeHeading(previous, longest) || endsSentence(previous)) && startsLikeSentence(line))) {
                blocks.add(new Span(blockStart, lineStart));
                blockStart = lineStart;
            }
            previous = line;
            lineStart = lineEnd + 1;
        }
        if (blockStart < text.length()) {
            blocks.add(new Span(blockStart, text.length()));
        }
        return blocks;
    }

    private static int lineEnd(String text, int lineStart) {
        int nl = text.indexOf('\n', lineStart);
        return nl < 0 ? text.length() : nl;
    }

    private static boolean endsLikeHeading(String line, int longest) {
        char last = line.charAt(line.length() - 1);
        return line.length() < 0.6 * longest && last != '-' && last != ',';
    }

    private static boolean endsSentence(String line) {
        char last = line.charAt(line.length() - 1);
        return last == '.' || last == '!' || last == '?' || last == ':';
    }

    private static boolean startsLikeSentence(String line) {
        char first = line.charAt(0);
        return Character.isUpperCase(first) || Character.isDigit(first);
    }

    private static boolean startsWithBullet(String line) {
        return BULLETS.indexOf(line.charAt(0)) >= 0;
    }

    /** Drops surrounding whitespace and a leading bullet; the span stays a substring of the text. */
    private static Span trim(String text, int start, int end) {
        while (start < end && (Character.isWhitespace(text.charAt(start)) || BULLETS.indexOf(text.charAt(start)) >= 0)) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return new Span(start, end);
    }

    /**
     * The runs of prose lines inside a span that is not prose as a whole: a sentence glued by extraction to a
     * table row or a code line is still worth quoting.
     */
    private static List<Span> proseLines(String text, Span span) {
        List<Span> runs = new ArrayList<>();
        int runStart = -1;
        int lineStart = span.start();
        while (lineStart <= span.end()) {
            int nl = text.indexOf('\n', lineStart);
            int lineEnd = nl < 0 || nl > span.end() ? span.end() : nl;
            boolean prose = letterShare(text, lineStart, lineEnd) >= MIN_LETTER_SHARE;
            if (prose && runStart < 0) {
                runStart = lineStart;
            }
            if (!prose && runStart >= 0) {
                addIfProse(text, trim(text, runStart, lineStart), runs);
                runStart = -1;
            }
            if (lineEnd == span.end()) {
                break;
            }
            lineStart = lineEnd + 1;
        }
        if (runStart >= 0) {
            addIfProse(text, trim(text, runStart, span.end()), runs);
        }
        return runs;
    }

    private static void addIfProse(String text, Span span, List<Span> out) {
        if (looksLikeProse(text, span)) {
            out.add(span);
        }
    }

    private static double letterShare(String text, int start, int end) {
        int letters = 0;
        int nonSpace = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                nonSpace++;
                if (Character.isLetter(c)) {
                    letters++;
                }
            }
        }
        return nonSpace == 0 ? 0 : (double) letters / nonSpace;
    }

    private static List<Span> cutLong(String text, Span span) {
        if (span.end() - span.start() <= MAX_CHARS) {
            return List.of(span);
        }
        List<Span> pieces = new ArrayList<>();
        int start = span.start();
        while (span.end() - start > MAX_CHARS) {
            int limit = start + MAX_CHARS;
            // Prefer the last line break before the limit, then the last space; else cut hard.
            int cut = text.lastIndexOf('\n', limit);
            if (cut <= start + MAX_CHARS / 4) {
                cut = text.lastIndexOf(' ', limit);
            }
            if (cut <= start + MAX_CHARS / 4) {
                cut = limit;
            }
            pieces.add(trim(text, start, cut));
            start = cut;
        }
        pieces.add(trim(text, start, span.end()));
        return pieces;
    }

    private static boolean looksLikeProse(String text, Span span) {
        int words = 0;
        boolean wordHasLetter = false;
        for (int i = span.start(); i <= span.end(); i++) {
            if (i == span.end() || Character.isWhitespace(text.charAt(i))) {
                if (wordHasLetter) {
                    words++;
                }
                wordHasLetter = false;
            } else if (Character.isLetter(text.charAt(i))) {
                wordHasLetter = true;
            }
        }
        return words >= MIN_WORDS && letterShare(text, span.start(), span.end()) >= MIN_LETTER_SHARE;
    }

    /**
     * The sentence as people should read it: words hyphenated across PDF line breaks joined again and all
     * whitespace runs made single spaces. Only for display and embedding; quotes keep the original text.
     */
    static String display(String sentence) {
        String joined = HYPHENATED_WORD.matcher(sentence).replaceAll("$1$2");
        joined = HYPHEN_BEFORE_CAPITAL.matcher(joined).replaceAll("$1-");
        return WHITESPACE.matcher(joined).replaceAll(" ").strip();
    }
}
