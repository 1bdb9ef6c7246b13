package dev.omnirag.generator;

import dev.omnirag.generator.text.Hyphenation;
import dev.omnirag.generator.text.SentenceSplitter;
import dev.omnirag.generator.text.TableText;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sentences of a source that can answer a question, with offsets exact in the source (citations quote them):
 * {@link SentenceSplitter}'s sentences, kept when they are prose and cut when too long to quote. Stateless.
 */
final class Sentences {

    /** Longer "sentences" (tables, run-on PDF text) are cut at line breaks so each one stays quotable. */
    static final int MAX_CHARS = 400;
    /** Items of a list quoted at most with the sentence that leads in to it. */
    static final int MAX_LIST_ITEMS = 12;
    /** Characters of a lead-in and its list quoted at most. */
    static final int MAX_LIST_CHARS = 1200;
    /** Fragments with fewer words (headings, page numbers, affiliations) do not answer questions. */
    static final int MIN_WORDS = 4;
    /** Fewer words for a fragment that ends as a sentence does, numbers counted: short instructions answer too. */
    static final int MIN_SENTENCE_WORDS = 3;
    /** Below this share of letters among non-space characters a fragment is code, a table or a formula. */
    private static final double MIN_LETTER_SHARE = 0.6;

    private static final String BULLETS = "•◦▪‣●○■□►·";
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern TOKEN = Pattern.compile("\\S+");
    /** Tokens that are no wording, left out of the letter share: web and e-mail addresses. */
    private static final Pattern NOT_WORDING =
            Pattern.compile("[(<\\[]?(?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\\.)\\S+|[(<\\[]?[^\\s@]+@[^\\s@]+\\.[^\\s@]+");
    /** A number as written: "45", "1,200", "3.5%", "$40", "2023-03-01", "(12)"; a word in a short sentence. */
    private static final Pattern NUMBER =
            Pattern.compile("[(\\[]?[\\p{Sc}+\\-−±~]?\\d[\\d.,:/%\\-–]*\\p{Sc}?[.,;:!?)\\]]*");
    /**
     * A form's or a fact sheet's field on one line, "Policy number: 88-4411": too short and too numeric for prose,
     * yet the answer to "what is the policy number?".
     */
    private static final Pattern FIELD = Pattern.compile("\\p{Lu}[\\p{L}\\p{M} .'()/-]{1,40}:[ \\t]+[^\\n]{1,120}");

    /**
     * A sentence: {@code text.substring(start, end)}.
     *
     * @param header for a table row, its table's header row (see {@link TableText}); null for prose
     */
    record Span(int start, int end, String header) {
        Span(int start, int end) {
            this(start, end, null);
        }
    }

    private Sentences() {}

    /**
     * The answer candidates of {@code text}: the splitter's sentences without a leading bullet, overlong ones cut
     * at line breaks, and only prose (or the prose lines of a sentence that is not); and a table's rows under a
     * header, each with its header.
     */
    static List<Span> split(String text, SentenceSplitter splitter) {
        List<Span> out = new ArrayList<>();
        for (SentenceSplitter.Span sentence : splitter.split(text)) {
            if (TableText.isRow(sentence.in(text))) {
                // A row answers with its header ("Engine: X; Throughput: 12 GB/s"); a header row alone answers nothing.
                TableText.headerOf(text, sentence.start())
                        .ifPresent(header -> out.add(new Span(sentence.start(), sentence.end(), header)));
                continue;
            }
            for (Span piece : cutLong(text, trim(text, sentence.start(), sentence.end()))) {
                if (looksLikeProse(text, piece)
                        || FIELD.matcher(text.substring(piece.start(), piece.end()))
                                .matches()) {
                    out.add(piece);
                } else {
                    out.addAll(proseLines(text, piece));
                }
            }
        }
        return out;
    }

    /** Drops surrounding whitespace and a leading bullet; the span stays a substring of the text. */
    private static Span trim(String text, int start, int end) {
        while (start < end
                && (Character.isWhitespace(text.charAt(start)) || BULLETS.indexOf(text.charAt(start)) >= 0)) {
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

    /**
     * The share of letters among the non-space characters of {@code start..end}, leaving out web and e-mail addresses
     * ({@link #NOT_WORDING}): "Open the admin page at http://192.168.8.1." is prose, though most of its characters
     * are not letters. 0 when nothing is left.
     */
    private static double letterShare(String text, int start, int end) {
        int letters = 0;
        int nonSpace = 0;
        Matcher token = TOKEN.matcher(text).region(start, end);
        while (token.find()) {
            if (NOT_WORDING.matcher(token.group()).matches()) {
                continue;
            }
            for (int i = token.start(); i < token.end(); i++) {
                nonSpace++;
                if (Character.isLetter(text.charAt(i))) {
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

    /**
     * At least {@link #MIN_WORDS} words, or {@link #MIN_SENTENCE_WORDS} in a sentence that ends as one (".", "!",
     * "?": "Bake for 45 minutes.", "Season with basil."), where numbers count as words too; and mostly letters.
     */
    private static boolean looksLikeProse(String text, Span span) {
        int lettered = 0;
        int numbers = 0;
        Matcher token = TOKEN.matcher(text).region(span.start(), span.end());
        while (token.find()) {
            String t = token.group();
            if (t.codePoints().anyMatch(Character::isLetter)) {
                lettered++;
            } else if (NUMBER.matcher(t).matches()) {
                numbers++;
            }
        }
        boolean sentence = endsSentence(text.substring(span.start(), span.end()));
        boolean enough =
                lettered >= MIN_WORDS || (sentence && lettered >= 2 && lettered + numbers >= MIN_SENTENCE_WORDS);
        return enough && letterShare(text, span.start(), span.end()) >= MIN_LETTER_SHARE;
    }

    /** How the answer shows {@code span} of {@code text}: {@link #display(String)}, a table row with its header. */
    static String display(String text, Span span) {
        String sentence = text.substring(span.start(), span.end());
        return span.header() == null ? display(sentence) : TableText.labelled(span.header(), sentence);
    }

    /**
     * Where the list that the sentence {@code start..end} of {@code text} leads in to ends: the sentence ends in a
     * colon and the next line is a list item ({@link SentenceSplitter#isListItem}); the list runs on over further
     * items and the lines that wrap them, up to a blank line followed by no item, {@link #MAX_LIST_ITEMS} items or
     * {@link #MAX_LIST_CHARS} characters from {@code start}. -1 when no list follows.
     */
    static int listAfter(String text, int start, int end) {
        if (!text.substring(start, end).strip().endsWith(":")) {
            return -1;
        }
        int listEnd = -1;
        int items = 0;
        int at = text.indexOf('\n', end);
        boolean blankBefore = false;
        while (at >= 0 && at + 1 < text.length()) {
            int lineStart = at + 1;
            int lineEnd = text.indexOf('\n', lineStart);
            lineEnd = lineEnd < 0 ? text.length() : lineEnd;
            String line = text.substring(lineStart, lineEnd);
            if (line.isBlank()) {
                blankBefore = true;
            } else if (SentenceSplitter.isListItem(line)) {
                if (items == MAX_LIST_ITEMS || lineEnd - start > MAX_LIST_CHARS) {
                    break;
                }
                items++;
                listEnd = lineStart + line.stripTrailing().length();
                blankBefore = false;
            } else if (items > 0 && !blankBefore && !TableText.isRow(line) && lineEnd - start <= MAX_LIST_CHARS) {
                listEnd = lineStart + line.stripTrailing().length(); // an item wrapped onto this line
            } else {
                break;
            }
            at = lineEnd < text.length() ? lineEnd : -1;
        }
        return items == 0 ? -1 : listEnd;
    }

    /**
     * How an answer shows a lead-in ({@code start..leadEnd}) with its list (up to {@code listEnd}, {@link #listAfter}):
     * as Markdown, the lead-in then each item on a line of its own (an item's wrapped lines joined, a bullet written
     * {@code - }), each read as {@link #display(String)} reads a sentence.
     */
    static String listDisplay(String text, int start, int leadEnd, int listEnd) {
        StringBuilder out = new StringBuilder(display(text.substring(start, leadEnd)));
        StringBuilder item = null;
        for (String line : text.substring(leadEnd, listEnd).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (SentenceSplitter.isListItem(line)) {
                if (item != null) {
                    out.append('\n').append(itemDisplay(item.toString()));
                }
                item = new StringBuilder(line);
            } else if (item != null) {
                item.append('\n').append(line);
            }
        }
        if (item != null) {
            out.append('\n').append(itemDisplay(item.toString()));
        }
        return out.toString();
    }

    /** A list item as Markdown shows one: a bullet ("•", Word's "·") becomes "- "; numbers and letters stay. */
    private static String itemDisplay(String item) {
        String shown = display(item);
        return BULLETS.indexOf(shown.charAt(0)) >= 0 ? "- " + shown.substring(1).strip() : shown;
    }

    /** Whether {@code sentence} ends as a sentence does ({@code .!?}, before closing quotes or brackets). */
    static boolean endsSentence(String sentence) {
        String s = sentence.strip();
        int i = s.length() - 1;
        while (i >= 0 && "\"'\u201d\u2019)]".indexOf(s.charAt(i)) >= 0) {
            i--;
        }
        return i >= 0 && ".!?".indexOf(s.charAt(i)) >= 0;
    }

    /** The words {@code span} of {@code text} is matched by: its own, and a table row's header's. */
    static String matchText(String text, Span span) {
        String sentence = text.substring(span.start(), span.end());
        return span.header() == null ? sentence : span.header() + "\n" + sentence;
    }

    /** Most words of a line read as a section's heading ({@link #headings}). */
    static final int HEADING_WORDS = 8;

    private static final Pattern MARKDOWN_HEADING = Pattern.compile("^#{1,6}\\s+");

    /**
     * The headings of {@code text}, in order, as {@code [start, end]} of their lines: a line of one to
     * {@link #HEADING_WORDS} words that holds a letter, opens with a capital, a digit or Markdown's {@code #}, does
     * not end as a sentence, a lead-in or a clause does (".", "!", "?", ":", ";", ","), is no list item or table row,
     * stands alone (a blank line or the text's start before it, a blank line after it; Markdown's {@code #} needs
     * neither), and has text after it. Standing alone tells a heading from a short line of a wrapped paragraph.
     */
    static List<int[]> headings(String text) {
        List<int[]> out = new ArrayList<>();
        int lineStart = 0;
        boolean blankBefore = true;
        while (lineStart < text.length()) {
            int nl = text.indexOf('\n', lineStart);
            int lineEnd = nl < 0 ? text.length() : nl;
            String line = text.substring(lineStart, lineEnd);
            if (nl >= 0 && isHeading(line)) {
                boolean marked = MARKDOWN_HEADING.matcher(line.strip()).find();
                int next = text.indexOf('\n', nl + 1);
                boolean blankAfter = next >= 0 && text.substring(nl + 1, next).isBlank();
                if ((marked || (blankBefore && blankAfter))
                        && !text.substring(nl).isBlank()) {
                    out.add(new int[] {lineStart, lineEnd});
                }
            }
            blankBefore = line.isBlank();
            lineStart = lineEnd + 1;
        }
        return out;
    }

    /** The heading a line reads as, without Markdown's {@code #} marks; the line itself when it is none. */
    static String headingText(String line) {
        return MARKDOWN_HEADING.matcher(line.strip()).replaceFirst("");
    }

    private static boolean isHeading(String line) {
        String heading = headingText(line);
        if (heading.isEmpty() || SentenceSplitter.isListItem(line.strip()) || TableText.isRow(line)) {
            return false;
        }
        char last = heading.charAt(heading.length() - 1);
        char first = heading.charAt(0);
        if (endsSentence(heading)
                || ":;,".indexOf(last) >= 0
                || !(Character.isUpperCase(first) || Character.isDigit(first))) {
            return false;
        }
        String[] words = WHITESPACE.split(heading);
        return words.length <= HEADING_WORDS && heading.codePoints().anyMatch(Character::isLetter);
    }

    /**
     * The sentence as people should read it: words hyphenated across PDF line breaks joined again and all
     * whitespace runs made single spaces. Only for display and embedding; quotes keep the original text.
     */
    static String display(String sentence) {
        return WHITESPACE.matcher(Hyphenation.join(sentence)).replaceAll(" ").strip();
    }
}
