package dev.omnirag.server.ingest;

import dev.omnirag.generator.text.TableText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Running headers, footers and page numbers of a paged document, kept out of its page text so that they neither
 * crowd chunks nor match every query: a page's first or last two lines that recur (digits aside) at the top or
 * bottom of at least half the pages (three at least), and a first or last line that is only a page number ("12",
 * "Page 3 of 9", "- 4 -"). Highlights locate quotes by their words on the rendered page, so removing lines loses no
 * position. Stateless.
 */
final class RunningLines {

    /** How many lines at each end of a page may be a header or footer. */
    private static final int EDGE_LINES = 2;

    /**
     * The same for an OCR'd page, whose edges also hold what a scan picks up around them (a logo read as letters, a
     * punch hole, a stamp).
     */
    private static final int READ_EDGE_LINES = 3;

    private static final Pattern PAGE_NUMBER = Pattern.compile(
            "[\\s\\p{Pd}–—|]*(?:(?:page|p\\.|seite|página|pagina)\\s*)?\\d{1,4}(?:\\s*(?:of|/|von|de)\\s*\\d{1,4})?[\\s\\p{Pd}–—|]*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private RunningLines() {}

    /** The pages without their running lines; pages listed in {@code keep} (OCR'd ones: their offsets) untouched. */
    static List<ParsedDocument.Page> strip(List<ParsedDocument.Page> pages, java.util.Set<Integer> keep) {
        if (pages.size() < 2) {
            return pages;
        }
        Map<String, Integer> counts = new HashMap<>();
        for (ParsedDocument.Page page : pages) {
            if (!keep.contains(page.number())) {
                edgeLines(page.text(), EDGE_LINES).stream()
                        .map(RunningLines::normal)
                        .distinct()
                        .forEach(l -> counts.merge(l, 1, Integer::sum));
            }
        }
        int needed = Math.max(3, (pages.size() + 1) / 2);
        Integer offset = numberingOffset(
                pages.stream()
                        .filter(p -> !keep.contains(p.number()) && p.spans().isEmpty())
                        .toList(),
                EDGE_LINES,
                needed);
        List<ParsedDocument.Page> out = new ArrayList<>(pages.size());
        for (ParsedDocument.Page page : pages) {
            if (keep.contains(page.number()) || !page.spans().isEmpty()) {
                out.add(page);
                continue;
            }
            List<String> lines = new ArrayList<>(List.of(page.text().split("\n", -1)));
            List<Integer> content = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).isBlank()) {
                    content.add(i);
                }
            }
            if (content.size() < 3) {
                out.add(page);
                continue;
            }
            boolean changed = false;
            for (int k = 0; k < content.size(); k++) {
                if (k >= EDGE_LINES && k < content.size() - EDGE_LINES) {
                    continue;
                }
                String line = lines.get(content.get(k));
                boolean outermost = k == 0 || k == content.size() - 1;
                if (counts.getOrDefault(normal(line), 0) >= needed
                        || outermost && PAGE_NUMBER.matcher(line).matches()
                        || numbers(line, page.number(), offset)) {
                    lines.set(content.get(k), "");
                    changed = true;
                }
            }
            out.add(
                    changed
                            ? new ParsedDocument.Page(
                                    page.number(), String.join("\n", lines), page.spans(), page.image(), page.regions())
                            : page);
        }
        return out;
    }

    /**
     * OCR'd pages (their words spans with boxes) without their running lines, found as {@link #strip} finds them on
     * text pages, among the OCR'd pages alone (three at least), compared with OCR's slips in mind: letters and digits
     * only. A removed line's words leave with their spans; the spans after it move up. Other pages stay as they are.
     */
    static List<ParsedDocument.Page> stripRead(List<ParsedDocument.Page> pages) {
        List<ParsedDocument.Page> read =
                pages.stream().filter(p -> p.image() && !p.spans().isEmpty()).toList();
        if (read.size() < 3) {
            return pages;
        }
        Map<String, Integer> counts = new HashMap<>();
        for (ParsedDocument.Page page : read) {
            edgeLines(page.text(), READ_EDGE_LINES).stream()
                    .map(RunningLines::lettersAndDigits)
                    .filter(l -> !l.isEmpty())
                    .distinct()
                    .forEach(l -> counts.merge(l, 1, Integer::sum));
        }
        int needed = Math.max(3, (read.size() + 1) / 2);
        Integer offset = numberingOffset(read, READ_EDGE_LINES, needed);
        List<ParsedDocument.Page> out = new ArrayList<>(pages.size());
        for (ParsedDocument.Page page : pages) {
            out.add(read.contains(page) ? withoutRunningLines(page, counts, needed, offset) : page);
        }
        return out;
    }

    /**
     * How the printed page numbers relate to the pages' own ({@code printed - page}, -1 when the title page is not
     * counted), when at least {@code needed} pages show a page number within {@code edge} lines of their top or bottom
     * that way; else null. A page number between the text and a footer, or above a scanned logo, is then found too.
     */
    private static Integer numberingOffset(List<ParsedDocument.Page> pages, int edge, int needed) {
        Map<Integer, Integer> offsets = new HashMap<>();
        for (ParsedDocument.Page page : pages) {
            List<String> content = List.of(page.text().split("\n")).stream()
                    .filter(l -> !l.isBlank())
                    .toList();
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (int k = 0; k < content.size(); k++) {
                Integer printed = (k < edge || k >= content.size() - edge) ? printedNumber(content.get(k)) : null;
                if (printed != null && seen.add(printed - page.number())) {
                    offsets.merge(printed - page.number(), 1, Integer::sum);
                }
            }
        }
        return offsets.entrySet().stream()
                .filter(e -> e.getValue() >= needed)
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElse(null);
    }

    /** The number a page-number line shows ("12", "Page 3 of 9": 3), or null for any other line. */
    private static Integer printedNumber(String line) {
        if (!PAGE_NUMBER.matcher(line).matches()) {
            return null;
        }
        java.util.regex.Matcher m = DIGITS.matcher(line);
        return m.find() ? Integer.valueOf(m.group()) : null;
    }

    /** True when {@code line} is page {@code page}'s number as the document numbers its pages ({@code offset}). */
    private static boolean numbers(String line, int page, Integer offset) {
        Integer printed = offset == null ? null : printedNumber(line);
        return printed != null && printed == page + offset;
    }

    private static ParsedDocument.Page withoutRunningLines(
            ParsedDocument.Page page, Map<String, Integer> counts, int needed, Integer offset) {
        String text = page.text();
        List<int[]> lines = new ArrayList<>();
        int at = 0;
        for (String line : text.split("\n", -1)) {
            if (!line.isBlank()) {
                lines.add(new int[] {at, at + line.length()});
            }
            at += line.length() + 1;
        }
        if (lines.size() < 3) {
            return page;
        }
        List<int[]> cuts = new ArrayList<>();
        for (int k = 0; k < lines.size(); k++) {
            boolean top = k < READ_EDGE_LINES && k < lines.size() / 2;
            if (!top && k < lines.size() - READ_EDGE_LINES) {
                continue;
            }
            String line = text.substring(lines.get(k)[0], lines.get(k)[1]);
            boolean outermost = k == 0 || k == lines.size() - 1;
            if (counts.getOrDefault(lettersAndDigits(line), 0) >= needed
                    || outermost && PAGE_NUMBER.matcher(line).matches()
                    || numbers(line, page.number(), offset)) {
                // With the line breaks that set it apart: up to the next line at the top, from the line before below.
                cuts.add(
                        top
                                ? new int[] {lines.get(k)[0], lines.get(k + 1)[0]}
                                : new int[] {lines.get(k - 1)[1], lines.get(k)[1]});
            }
        }
        if (cuts.isEmpty()) {
            return page;
        }
        StringBuilder kept = new StringBuilder();
        int[] moved = new int[text.length() + 1];
        int from = 0;
        for (int[] cut : cuts) {
            int start = Math.max(cut[0], from);
            for (int i = from; i < start; i++) {
                moved[i] = kept.length();
                kept.append(text.charAt(i));
            }
            for (int i = start; i < cut[1]; i++) {
                moved[i] = -1;
            }
            from = Math.max(from, cut[1]);
        }
        for (int i = from; i < text.length(); i++) {
            moved[i] = kept.length();
            kept.append(text.charAt(i));
        }
        moved[text.length()] = kept.length();
        List<ParsedDocument.Span> spans = new ArrayList<>();
        for (ParsedDocument.Span s : page.spans()) {
            if (s.charStart() < s.charEnd()
                    && s.charEnd() <= text.length()
                    && moved[s.charStart()] >= 0
                    && moved[s.charEnd() - 1] == moved[s.charStart()] + (s.charEnd() - s.charStart() - 1)) {
                int end = moved[s.charStart()] + (s.charEnd() - s.charStart());
                spans.add(new ParsedDocument.Span(moved[s.charStart()], end, s.box(), s.startMs(), s.endMs()));
            }
        }
        return new ParsedDocument.Page(
                page.number(), kept.toString(), spans, page.image(), page.regions(), page.sheet());
    }

    /** A line as OCR'd lines are compared: letters (lower case) and digits as one mark, words single-spaced. */
    private static String lettersAndDigits(String line) {
        return WHITESPACE
                .matcher(DIGITS.matcher(line.toLowerCase(Locale.ROOT))
                        .replaceAll("#")
                        .replaceAll("[^\\p{L}#\\s]", " "))
                .replaceAll(" ")
                .strip();
    }

    /** The lines within {@code edge} lines of a page's top or bottom that may be running lines. */
    private static List<String> edgeLines(String text, int edge) {
        List<String> content = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                content.add(line);
            }
        }
        if (content.size() < 3) {
            return List.of();
        }
        List<String> edges = new ArrayList<>();
        for (int k = 0; k < content.size(); k++) {
            String line = content.get(k);
            // A table's rows and number-only lines are content even when they repeat (digits aside) at page ends.
            if ((k < edge || k >= content.size() - edge)
                    && !TableText.isRow(line)
                    && line.chars().filter(Character::isLetter).count() >= 3) {
                edges.add(line);
            }
        }
        return edges;
    }

    /** The line as compared across pages: digits as one mark (page numbers, dates), spacing and case ignored. */
    private static String normal(String line) {
        return WHITESPACE
                .matcher(DIGITS.matcher(line.strip().toLowerCase(Locale.ROOT)).replaceAll("#"))
                .replaceAll(" ");
    }
}
