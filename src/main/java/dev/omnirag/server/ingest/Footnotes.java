package dev.omnirag.server.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Footnotes of a PDF page moved out of the running text. The text layer reads a footnote where it is printed: at the
 * foot of its column, so on a two-column page it sits between the left column's last line and the right column's
 * first, often inside a sentence ("…nested to a depth k, and each⏎2 Instead of aborting the outer recording…"), and a
 * sentence running on to the next page ends in the footnote, not in the text. A footnote is a run of lines set in a
 * smaller type than the page's text (from the layout pass: {@link #smallLines}) whose first line starts with a number
 * that the page shows raised after a word before it ({@link Superscripts}: "inner loop.²" … "2 Instead of…"), at most
 * {@value #MAX_LINES} lines; it moves to the end of the page, after the text, and the text around it closes up (one
 * line break where a sentence runs on across it, else a blank line). A heading "2 Methods" is no note (its type is not
 * smaller), nor is a line after an exponent ("10⁶": no word before it). Stateless.
 */
final class Footnotes {

    /** Lines a footnote has at most. */
    static final int MAX_LINES = 12;

    /** A small line's type is at most this share of the page's text type. */
    static final double SMALL_SHARE = 0.9;

    /** Characters of a line (whitespace removed) that identify it between the layout pass and the text. */
    private static final int KEY = 40;

    /** A line starting with a note's number: "2 Instead of…", "²Instead of…". */
    private static final Pattern NOTE_START = Pattern.compile("([0-9]{1,3}|[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})\\s*\\p{L}.*");
    /** A raised number after a word (a letter or a punctuation mark, not a digit: "10⁶" is an exponent). */
    private static final Pattern REFERENCE =
            Pattern.compile("(?<=[\\p{L}.,;:)\\]'\"’”])([⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:,[⁰¹²³⁴⁵⁶⁷⁸⁹]+)*)");

    private static final Pattern SPACES = Pattern.compile("\\s+");

    private static final String DIGITS = "0123456789";

    private Footnotes() {}

    /**
     * The keys of the lines of a page set in a smaller type than its text: {@code lines}' texts and {@code sizes} (the
     * layout pass's, same order), less the {@code excluded} lines (a table's rows); the text's type is the size most of
     * the page's characters have.
     */
    static Set<String> smallLines(List<String> lines, List<Float> sizes, Set<String> excluded) {
        Map<Float, Integer> chars = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            chars.merge(sizes.get(i), lines.get(i).length(), Integer::sum);
        }
        float text = chars.entrySet().stream()
                .filter(e -> e.getKey() > 0)
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElse(0f);
        Set<String> small = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            if (sizes.get(i) > 0 && sizes.get(i) <= SMALL_SHARE * text && !excluded.contains(lines.get(i))) {
                small.add(key(lines.get(i)));
            }
        }
        return small;
    }

    /**
     * A page's text without its footnotes ({@code body}) and the footnotes ({@code notes}, a paragraph each, in order;
     * empty when none).
     */
    record Split(ParsedDocument.Page body, List<String> notes) {

        /** The page with its footnotes after its text. */
        ParsedDocument.Page joined() {
            if (notes.isEmpty()) {
                return body;
            }
            StringBuilder out = new StringBuilder(body.text().stripTrailing());
            for (String note : notes) {
                out.append("\n\n").append(note);
            }
            return new ParsedDocument.Page(body.number(), out.append('\n').toString());
        }
    }

    /**
     * The page split into its text and its footnotes; all of it text when it has none, carries positions, or no line
     * of it is small ({@code small}: {@link #smallLines}).
     */
    static Split split(ParsedDocument.Page page, Set<String> small) {
        if (small.isEmpty() || !page.spans().isEmpty() || !page.regions().isEmpty()) {
            return new Split(page, List.of());
        }
        String text = page.text();
        List<String> lines = List.of(text.split("\n", -1));
        List<int[]> references = references(text);
        List<String> body = new ArrayList<>(lines.size());
        List<String> notes = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < lines.size(); i++) {
            int lineStart = offset;
            offset += lines.get(i).length() + 1;
            int end = noteEnd(lines, i, lineStart, references, small);
            if (end < 0) {
                body.add(lines.get(i));
                continue;
            }
            notes.add(String.join("\n", lines.subList(i, end)).strip());
            for (int k = i + 1; k < end; k++) {
                offset += lines.get(k).length() + 1;
            }
            // The text closes up: a sentence running on across the note continues on the next line.
            while (!body.isEmpty() && body.getLast().isBlank()) {
                body.removeLast();
            }
            int next = end;
            while (next < lines.size() && lines.get(next).isBlank()) {
                offset += lines.get(next).length() + 1;
                next++;
            }
            boolean runsOn = !body.isEmpty()
                    && next < lines.size()
                    && !endsSentence(body.getLast().strip())
                    && Character.isLowerCase(lines.get(next).strip().codePointAt(0));
            if (!runsOn && !body.isEmpty() && next < lines.size()) {
                body.add("");
            }
            i = next - 1;
        }
        if (notes.isEmpty()) {
            return new Split(page, List.of());
        }
        return new Split(new ParsedDocument.Page(page.number(), String.join("\n", body)), notes);
    }

    /**
     * Where the footnote starting at line {@code i} (at {@code lineStart} in the text) ends (the index after its last
     * small line), or -1 when line {@code i} starts none.
     */
    private static int noteEnd(List<String> lines, int i, int lineStart, List<int[]> references, Set<String> small) {
        String line = lines.get(i).strip();
        Matcher m = NOTE_START.matcher(line);
        if (i == 0 || !m.matches() || !small.contains(key(line))) {
            return -1;
        }
        int number = number(m.group(1));
        if (references.stream().noneMatch(r -> r[0] < lineStart && r[1] == number)) {
            return -1;
        }
        int end = i + 1;
        while (end < lines.size() && !lines.get(end).isBlank() && small.contains(key(lines.get(end)))) {
            end++;
        }
        return end - i <= MAX_LINES ? end : -1;
    }

    /** Each raised number after a word in {@code text}: {offset, number}. */
    private static List<int[]> references(String text) {
        List<int[]> out = new ArrayList<>();
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            for (String n : m.group(1).split(",")) {
                out.add(new int[] {m.start(), number(n)});
            }
        }
        return out;
    }

    private static String key(String line) {
        String k = SPACES.matcher(line).replaceAll("");
        return k.length() <= KEY ? k : k.substring(0, KEY);
    }

    private static int number(String digits) {
        int n = 0;
        for (char c : digits.toCharArray()) {
            int d = DIGITS.indexOf(c);
            n = n * 10 + (d >= 0 ? d : Superscripts.RAISED_DIGITS.indexOf(c));
        }
        return n;
    }

    private static boolean endsSentence(String line) {
        String s = Superscripts.withoutNoteMark(line);
        return !s.isEmpty() && ".!?:;".indexOf(s.charAt(s.length() - 1)) >= 0;
    }
}
