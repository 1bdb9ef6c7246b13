package dev.omnirag.generator.text;

import java.text.BreakIterator;
import java.text.StringCharacterIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The project's one sentence model: splits text into sentence spans whose offsets are exact in the text given
 * (chunks, quotes and highlights point at characters of a page).
 *
 * <p>Contract: spans are in order, do not overlap, are never empty, and start and end on a non-whitespace character
 * ({@code text.substring(start, end)} equals its own {@code strip()}); only whitespace lies between them. Every
 * non-whitespace character of the text lies in exactly one span.
 *
 * <p>Rules, on top of the JDK's {@link BreakIterator} for the locale:
 * <ul>
 *   <li>a period after an abbreviation ({@code Dr.}, {@code e.g.}, {@code i.e.}, {@code Fig.}, {@code et al.},
 *       {@code U.S.}, and {@code No.} before a number) or an initial ({@code J. Smith}) ends no sentence; decimals and
 *       versions ({@code 3.5}, {@code v1.2}) never do;</li>
 *   <li>a blank line, a list item ({@code - }, {@code * }, a bullet, {@code 1.}, {@code 2)}, {@code (a)}) and a
 *       table row (a line with two or more {@code |} or tab separated cells) start a new sentence, and a table row
 *       is a sentence of its own; a list item's marker stays with its text;</li>
 *   <li>a single line break does not end a sentence (PDF lines break mid-sentence), except after a short line
 *       (a heading: under 60% of the text's longest line, not ending in a hyphen or comma) or a line that ends in
 *       {@code .!?:}, when the next line starts like a sentence (a capital or a digit).</li>
 * </ul>
 *
 * <p>Immutable and thread safe (a new {@link BreakIterator} per call, as it is not).
 */
public final class SentenceSplitter {

    /** A sentence: {@code text.substring(start, end)}. */
    public record Span(int start, int end) {
        public Span {
            if (start < 0 || end <= start) {
                throw new IllegalArgumentException("a span needs 0 <= start < end; start=" + start + ", end=" + end);
            }
        }

        /** The sentence's text in {@code text}. */
        public String in(CharSequence text) {
            return text.subSequence(start, end).toString();
        }
    }

    /** Abbreviations whose period never ends a sentence (matched case-sensitively, as written). */
    public static final Set<String> ENGLISH_ABBREVIATIONS = Set.of(
            "Dr.", "Mr.", "Mrs.", "Ms.", "Prof.", "Sr.", "Jr.", "St.", "Mt.", "Gen.", "Col.", "Capt.", "Lt.", "Sgt.",
            "Rev.", "Hon.", "vs.", "e.g.", "i.e.", "cf.", "al.", "Fig.", "Figs.", "Eq.", "Eqs.", "Tab.", "Sec.", "Ch.",
            "Vol.", "pp.", "p.", "approx.", "ca.", "U.S.", "U.K.", "E.U.", "Inc.", "Ltd.", "Corp.", "Jan.", "Feb.",
            "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.", "Dec.");
    /** Abbreviations that end no sentence only before a number ("No. 5"; but "No. It is not."). */
    public static final Set<String> ENGLISH_NUMBER_ABBREVIATIONS = Set.of("No.", "Nos.", "Art.", "Nr.");

    /** Bullets; "·" is how Tika writes a Word bulleted list's bullet. */
    private static final String BULLETS = "•◦▪‣●○■□►–·";
    /** A list item's marker at a line's start: "- ", "* ", "+ ", "1. ", "12) ", "(a) ", "a) ", "iv. ". */
    private static final Pattern LIST_MARKER = Pattern.compile(
            "(?:[-*+" + BULLETS + "]|\\(?\\d{1,3}[.)]|\\(?[a-z][.)]|\\(?(?:i{1,3}|iv|v|vi{1,3}|ix|x)[.)])\\s+\\S.*");
    /** A sentence that is nothing but a list marker ("1.", "(a)"): BreakIterator cut it off its item. */
    private static final Pattern BARE_LIST_MARKER =
            Pattern.compile("\\(?(?:\\d{1,3}|[a-z]|i{1,3}|iv|v|vi{1,3}|ix|x)[.)]");

    /** A sentence's end followed by a note's raised number ("… as shown before.¹² The next"). */
    /** A note's raised digits (and minus), as the parser writes a superscript. */
    private static final String NOTE_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻";

    private static final Pattern END_BEFORE_NOTE_MARK =
            Pattern.compile("[.!?][⁰¹²³⁴⁵⁶⁷⁸⁹⁻,]*[⁰¹²³⁴⁵⁶⁷⁸⁹]\\s+(?=\\p{Lu})");

    /** A form's field on one line: a label of at most four words, a colon, a value ("Policy number: 88-4411"). */
    private static final Pattern FIELD_LINE =
            Pattern.compile("\\p{Lu}[\\p{L}\\p{M}.'()/-]*(?: [\\p{L}\\p{M}.'()/-]+){0,3}:[ \\t]+\\S.*");

    private static final SentenceSplitter ENGLISH = builder().build();

    private final Locale locale;
    private final Set<String> abbreviations;
    private final Set<String> numberAbbreviations;
    private final double headingShare;

    private SentenceSplitter(Builder b) {
        this.locale = b.locale;
        this.abbreviations = Set.copyOf(b.abbreviations);
        this.numberAbbreviations = Set.copyOf(b.numberAbbreviations);
        this.headingShare = b.headingShare;
    }

    /** English rules and abbreviations: the splitter every module uses unless configured otherwise. */
    /**
     * Whether {@code line} (leading whitespace ignored) is a list item: it starts with a bullet or a marker such as
     * {@code 1.}, {@code 2)}, {@code (a)} or {@code iv.} followed by text. The splitter starts a sentence at each.
     */
    public static boolean isListItem(String line) {
        return LIST_MARKER.matcher(line.strip()).matches();
    }

    public static SentenceSplitter english() {
        return ENGLISH;
    }

    /** The English abbreviations with the JDK's sentence rules for {@code locale}. */
    public static SentenceSplitter forLocale(Locale locale) {
        return Locale.ENGLISH.equals(locale)
                ? ENGLISH
                : builder().locale(locale).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The sentences of {@code text}, in order (see the class contract). */
    public List<Span> split(CharSequence text) {
        Objects.requireNonNull(text, "text");
        String s = text.toString();
        List<Span> out = new ArrayList<>();
        BreakIterator it = BreakIterator.getSentenceInstance(locale);
        for (int[] block : blocks(s)) {
            if (isTableRow(s, block[0], block[1])) {
                add(s, block[0], block[1], out);
                continue;
            }
            // The character iterator keeps absolute offsets, so no shifting is needed.
            it.setText(new StringCharacterIterator(s, block[0], block[1], block[0]));
            int start = it.first();
            for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
                // No sentence ends after an abbreviation or an initial, and a list item's marker ("1.") that
                // BreakIterator cut off joins its text.
                while (end < block[1]
                        && (noSentenceEnd(s, start, end)
                                || BARE_LIST_MARKER
                                        .matcher(s.substring(start, end).strip())
                                        .matches())) {
                    int next = it.next();
                    if (next == BreakIterator.DONE) {
                        break;
                    }
                    end = next;
                }
                add(s, start, end, out);
            }
        }
        return movedListMarkers(s, splitAfterNoteMarks(s, out));
    }

    /**
     * Sentences BreakIterator ran together because a citation's or footnote's raised number (a PDF's superscript,
     * as the parser writes it) follows the period: split after the number, which belongs to the sentence it ends.
     */
    private static List<Span> splitAfterNoteMarks(String text, List<Span> spans) {
        List<Span> out = new ArrayList<>(spans.size());
        for (Span span : spans) {
            Matcher m = END_BEFORE_NOTE_MARK.matcher(text).region(span.start(), span.end());
            int start = span.start();
            while (m.find()) {
                add(text, start, m.end(), out);
                start = m.end();
            }
            add(text, start, span.end(), out);
        }
        return out;
    }

    /**
     * A list item's marker that BreakIterator left at the end of the sentence before its item ("… done. 2." +
     * "The next") moves to the item.
     */
    private static List<Span> movedListMarkers(String text, List<Span> spans) {
        for (int i = 0; i + 1 < spans.size(); i++) {
            Span span = spans.get(i);
            int markerStart = span.end();
            while (markerStart > span.start() && !Character.isWhitespace(text.charAt(markerStart - 1))) {
                markerStart--;
            }
            if (markerStart == span.start()
                    || !BARE_LIST_MARKER
                            .matcher(text.substring(markerStart, span.end()))
                            .matches()) {
                continue;
            }
            int before = markerStart;
            while (before > span.start() && Character.isWhitespace(text.charAt(before - 1))) {
                before--;
            }
            char last = text.charAt(before - 1);
            if (last == '.' || last == '!' || last == '?' || last == ':') {
                spans.set(i, new Span(span.start(), before));
                spans.set(i + 1, new Span(markerStart, spans.get(i + 1).end()));
            }
        }
        return spans;
    }

    /** The sentences' texts, in order. */
    public List<String> sentences(CharSequence text) {
        List<Span> spans = split(text);
        List<String> out = new ArrayList<>(spans.size());
        for (Span span : spans) {
            out.add(span.in(text));
        }
        return out;
    }

    private static void add(String text, int start, int end, List<Span> out) {
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        if (start < end) {
            out.add(new Span(start, end));
        }
    }

    /** Whether the break after {@code text[start, end)} follows an abbreviation or an initial. */
    private boolean noSentenceEnd(String text, int start, int end) {
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
        if (abbreviations.contains(word) || (word.length() == 2 && Character.isUpperCase(word.charAt(0)))) {
            return true;
        }
        return numberAbbreviations.contains(word) && end < text.length() && Character.isDigit(text.charAt(end));
    }

    /**
     * Blocks that no sentence crosses: {@code [start, end)} pairs covering the text. A new block starts after a
     * blank line, at a list item or a table row, after a table row, and after a heading-like or sentence-ending line
     * when the next line starts like a sentence.
     */
    private List<int[]> blocks(String text) {
        int longest = 0;
        for (int lineStart = 0; lineStart < text.length(); ) {
            int lineEnd = lineEnd(text, lineStart);
            longest =
                    Math.max(longest, text.substring(lineStart, lineEnd).strip().length());
            lineStart = lineEnd + 1;
        }
        List<int[]> lines = new ArrayList<>();
        for (int lineStart = 0; lineStart < text.length(); ) {
            int lineEnd = lineEnd(text, lineStart);
            lines.add(new int[] {lineStart, lineEnd});
            lineStart = lineEnd + 1;
        }
        boolean[] field = new boolean[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            field[i] = FIELD_LINE
                    .matcher(text.substring(lines.get(i)[0], lines.get(i)[1]).strip())
                    .matches();
        }
        List<int[]> blocks = new ArrayList<>();
        int blockStart = 0;
        String previous = null;
        boolean previousRow = false;
        for (int i = 0; i < lines.size(); i++) {
            int lineStart = lines.get(i)[0];
            int lineEnd = lines.get(i)[1];
            String line = text.substring(lineStart, lineEnd).strip();
            // A form's fields come in runs: a lone "Label: value" line may be prose wrapped after a colon.
            boolean row = isTableRow(text, lineStart, lineEnd)
                    || field[i] && (i > 0 && field[i - 1] || i + 1 < lines.size() && field[i + 1]);
            if (!line.isEmpty()
                    && lineStart > blockStart
                    && previous != null
                    && (previous.isEmpty()
                            || row
                            || previousRow
                            || LIST_MARKER.matcher(line).matches()
                            || (endsLikeHeading(previous, longest) || endsSentence(previous))
                                    && startsLikeSentence(line))) {
                blocks.add(new int[] {blockStart, lineStart});
                blockStart = lineStart;
            }
            previous = line;
            previousRow = row;
        }
        if (blockStart < text.length()) {
            blocks.add(new int[] {blockStart, text.length()});
        }
        return blocks;
    }

    private static boolean isTableRow(String text, int start, int end) {
        return TableText.isRow(text.subSequence(start, end));
    }

    private static int lineEnd(String text, int lineStart) {
        int nl = text.indexOf('\n', lineStart);
        return nl < 0 ? text.length() : nl;
    }

    private boolean endsLikeHeading(String line, int longest) {
        if (line.isEmpty()) {
            return false;
        }
        char last = line.charAt(line.length() - 1);
        return line.length() < headingShare * longest && last != '-' && last != ',';
    }

    private static boolean endsSentence(String line) {
        // A note's raised number after the period ("… shown before.¹²", "….¹,²") still ends the sentence; a comma
        // alone ("U.S.,") is no note.
        int e = line.length();
        while (e > 0
                && (NOTE_DIGITS.indexOf(line.charAt(e - 1)) >= 0
                        || line.charAt(e - 1) == ','
                                && e < line.length()
                                && e >= 2
                                && NOTE_DIGITS.indexOf(line.charAt(e - 2)) >= 0)) {
            e--;
        }
        line = line.substring(0, e);
        if (line.isEmpty()) {
            return false;
        }
        char last = line.charAt(line.length() - 1);
        return last == '.' || last == '!' || last == '?' || last == ':';
    }

    private static boolean startsLikeSentence(String line) {
        char first = line.charAt(0);
        return Character.isUpperCase(first) || Character.isDigit(first) || BULLETS.indexOf(first) >= 0;
    }

    @Override
    public String toString() {
        return "SentenceSplitter[locale=" + locale + ", abbreviations=" + abbreviations.size()
                + ", numberAbbreviations=" + numberAbbreviations + ", headingShare=" + headingShare + "]";
    }

    /** Builds a {@link SentenceSplitter}; every setting has the English default. */
    public static final class Builder {
        private Locale locale = Locale.ENGLISH;
        private Set<String> abbreviations = ENGLISH_ABBREVIATIONS;
        private Set<String> numberAbbreviations = ENGLISH_NUMBER_ABBREVIATIONS;
        private double headingShare = 0.6;

        private Builder() {}

        /** The locale of the JDK's sentence rules; default English. */
        public Builder locale(Locale locale) {
            this.locale = locale;
            return this;
        }

        /** Words ending in a period that never end a sentence, as written ("Dr."). */
        public Builder abbreviations(Set<String> abbreviations) {
            this.abbreviations = abbreviations;
            return this;
        }

        /** Words ending in a period that end no sentence before a number ("No. 5"). */
        public Builder numberAbbreviations(Set<String> numberAbbreviations) {
            this.numberAbbreviations = numberAbbreviations;
            return this;
        }

        /**
         * A line shorter than this share of the text's longest line, followed by a line that starts like a
         * sentence, is a heading or a paragraph's last line and ends its sentence; default 0.6.
         */
        public Builder headingShare(double headingShare) {
            this.headingShare = headingShare;
            return this;
        }

        public SentenceSplitter build() {
            if (locale == null) {
                throw new IllegalArgumentException("locale must not be null; locale=null");
            }
            if (abbreviations == null || numberAbbreviations == null) {
                throw new IllegalArgumentException("abbreviations must not be null; abbreviations=" + abbreviations
                        + ", numberAbbreviations=" + numberAbbreviations);
            }
            for (String a : abbreviations) {
                if (a == null || !a.endsWith(".")) {
                    throw new IllegalArgumentException("each abbreviation must end in a period; abbreviation=" + a);
                }
            }
            if (!(headingShare >= 0 && headingShare <= 1)) {
                throw new IllegalArgumentException("headingShare must be in 0..1; headingShare=" + headingShare);
            }
            return new SentenceSplitter(this);
        }
    }
}
