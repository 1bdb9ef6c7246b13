package dev.omnirag.generator;

import dev.omnirag.generator.text.SentenceSplitter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sentences of an answer and the {@code [n]} markers attached to them.
 *
 * <p>An answer is split into lines, and lines into sentences ({@link SentenceSplitter#english()}, run on a copy
 * with the markers blanked out, because the JDK's rules do not break before a {@code [}). A marker belongs to the
 * sentence it ends or follows ({@code "programs [1]. Next"}, {@code "programs. [1] Next"}). Only sentences with a
 * letter or digit outside markers count.
 */
public final class Claims {

    /** A citation marker as the answer shows it. */
    public static final Pattern MARKER = Pattern.compile("\\[(\\d{1,3})]");

    private static final Pattern TRAILING_MARKERS = Pattern.compile("(?:\\s|\\[\\d{1,3}])+$");
    private static final int CLAIM_WINDOW = 2000;
    private static final SentenceSplitter SPLITTER = SentenceSplitter.english();
    /** A list item's marker before a claim ("2. ", "- "): not part of what the source must say. */
    private static final Pattern LIST_MARKER = Pattern.compile("^(?:[-*+•]|\\(?(?:\\d{1,3}|[a-z])[.)])\\s+");

    private Claims() {}

    /** A sentence of the answer: {@code answer.substring(start, end)}, its markers included. */
    public record Sentence(int start, int end, String text) {}

    /** The answer's sentences, each with the markers attached to it, in order. */
    public static List<Sentence> sentences(String answer) {
        List<Sentence> out = new ArrayList<>();
        int lineStart = 0;
        while (lineStart <= answer.length()) {
            int nl = answer.indexOf('\n', lineStart);
            int lineEnd = nl < 0 ? answer.length() : nl;
            // Markers are blanked, so a marker after a sentence's end is whitespace that belongs to that sentence.
            List<SentenceSplitter.Span> spans = SPLITTER.split(masked(answer.substring(lineStart, lineEnd)));
            for (int i = 0; i < spans.size(); i++) {
                int start = lineStart + (i == 0 ? 0 : spans.get(i).start());
                int end = lineStart + (i + 1 < spans.size() ? spans.get(i + 1).start() : lineEnd - lineStart);
                String text = answer.substring(start, end);
                if (hasContent(text)) {
                    out.add(new Sentence(start, end, text));
                }
            }
            if (nl < 0) {
                break;
            }
            lineStart = nl + 1;
        }
        return out;
    }

    /**
     * Share of the answer's sentences that carry at least one marker of a verified citation; 0 when the answer
     * has no sentences.
     */
    public static double groundedRatio(String answer, List<Citation> citations) {
        List<Sentence> sentences = sentences(answer == null ? "" : answer);
        if (sentences.isEmpty()) {
            return 0.0;
        }
        Map<Integer, Boolean> verified = new HashMap<>();
        if (citations != null) {
            for (Citation c : citations) {
                verified.merge(c.n(), c.verified(), Boolean::logicalOr);
            }
        }
        int grounded = 0;
        for (Sentence s : sentences) {
            Matcher m = MARKER.matcher(s.text());
            while (m.find()) {
                if (verified.getOrDefault(Integer.parseInt(m.group(1)), false)) {
                    grounded++;
                    break;
                }
            }
        }
        return (double) grounded / sentences.size();
    }

    /**
     * The claim a marker written right after {@code textBefore} supports: the last sentence of the text on the
     * marker's line, trailing whitespace and markers ignored, other markers removed. Empty when there is none.
     */
    public static String claimBefore(CharSequence textBefore) {
        int from = Math.max(0, textBefore.length() - CLAIM_WINDOW);
        String tail = textBefore.subSequence(from, textBefore.length()).toString();
        tail = TRAILING_MARKERS.matcher(tail).replaceFirst("");
        int nl = tail.lastIndexOf('\n');
        if (nl >= 0) {
            tail = tail.substring(nl + 1);
        }
        if (tail.isBlank()) {
            return "";
        }
        List<SentenceSplitter.Span> spans = SPLITTER.split(masked(tail));
        // A last sentence without words (a list number such as "2.") says nothing: take the one before.
        for (int i = spans.size() - 1; i >= 0; i--) {
            String sentence = stripMarkers(spans.get(i).in(tail)).strip();
            if (hasLetters(sentence)) {
                return LIST_MARKER.matcher(sentence).replaceFirst("");
            }
        }
        return "";
    }

    /** The text without {@code [n]} markers and with whitespace runs made single spaces. */
    public static String stripMarkers(String text) {
        return MARKER.matcher(text).replaceAll("").replaceAll("\\s+", " ").replaceAll(" ([.,;:!?])", "$1");
    }

    /** The text with each marker replaced by as many spaces: same offsets, no brackets for the splitter. */
    private static String masked(String text) {
        Matcher m = MARKER.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text);
        do {
            for (int i = m.start(); i < m.end(); i++) {
                sb.setCharAt(i, ' ');
            }
        } while (m.find());
        return sb.toString();
    }

    private static boolean hasContent(String sentence) {
        String words = MARKER.matcher(sentence).replaceAll("");
        for (int i = 0; i < words.length(); i++) {
            if (Character.isLetterOrDigit(words.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasLetters(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isLetter(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
