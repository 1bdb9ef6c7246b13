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
                edgeLines(page.text()).stream()
                        .map(RunningLines::normal)
                        .distinct()
                        .forEach(l -> counts.merge(l, 1, Integer::sum));
            }
        }
        int needed = Math.max(3, (pages.size() + 1) / 2);
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
                        || outermost && PAGE_NUMBER.matcher(line).matches()) {
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

    private static List<String> edgeLines(String text) {
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
            if ((k < EDGE_LINES || k >= content.size() - EDGE_LINES)
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
