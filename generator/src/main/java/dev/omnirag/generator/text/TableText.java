package dev.omnirag.generator.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a table is written into page text, and read back: one line per row, cells separated by {@value #SEPARATOR}
 * ({@code Region | Revenue | Growth}), the header row first and repeated before each group of rows (groups are
 * separated by a blank line), so that every chunk of a table holds its header and a row is found and quoted on its
 * own. Stateless.
 */
public final class TableText {

    /** Between two cells of a row. */
    public static final String SEPARATOR = " | ";
    /** A Markdown table's separator line: {@code |---|:--:|}. */
    private static final Pattern MARKDOWN_RULE =
            Pattern.compile("\\s*\\|?\\s*:?-{3,}:?\\s*(\\|\\s*:?-{3,}:?\\s*)*\\|?\\s*");

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private TableText() {}

    /**
     * The table as text: the first row is the header; the others follow in groups of at most {@code groupChars}
     * characters (at least one row each), each group under a copy of the header. Cells are trimmed, their
     * whitespace runs made single spaces and {@code |} written as {@code /}; trailing empty cells and empty rows are
     * dropped. A table with at most one cell per row is no table: its cells come back one per line. Ends without a
     * line break.
     */
    public static String render(List<List<String>> rows, int groupChars) {
        if (groupChars < 1) {
            throw new IllegalArgumentException("groupChars must be at least 1; groupChars=" + groupChars);
        }
        List<String> lines = new ArrayList<>();
        int widest = 0;
        for (List<String> row : rows) {
            List<String> cells = new ArrayList<>(row.size());
            for (String cell : row) {
                cells.add(WHITESPACE
                        .matcher(cell == null ? "" : cell)
                        .replaceAll(" ")
                        .strip()
                        .replace('|', '/'));
            }
            while (!cells.isEmpty() && cells.getLast().isEmpty()) {
                cells.removeLast();
            }
            if (!cells.isEmpty()) {
                widest = Math.max(widest, cells.size());
                lines.add(String.join(SEPARATOR, cells));
            }
        }
        if (widest <= 1 || lines.size() == 1) {
            return String.join("\n", lines);
        }
        String header = lines.getFirst();
        StringBuilder out = new StringBuilder(header);
        int groupLength = 0;
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (groupLength > 0 && groupLength + line.length() > groupChars) {
                out.append("\n\n").append(header);
                groupLength = 0;
            }
            out.append('\n').append(line);
            groupLength += line.length() + 1;
        }
        return out.toString();
    }

    /**
     * Markdown tables in {@code text} (a header line, a {@code |---|} rule, rows) written as {@link #render} writes
     * tables; the rest of the text unchanged.
     */
    public static String fromMarkdown(String text, int groupChars) {
        if (text.indexOf('|') < 0 || !text.contains("---")) {
            return text;
        }
        String[] lines = text.split("\n", -1);
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < lines.length) {
            // GitHub's rule: a header line, then a rule line with as many cells.
            if (i + 1 < lines.length
                    && lines[i].contains("|")
                    && MARKDOWN_RULE.matcher(lines[i + 1]).matches()
                    && markdownCells(lines[i]).size()
                            == markdownCells(lines[i + 1]).size()) {
                List<List<String>> rows = new ArrayList<>();
                rows.add(markdownCells(lines[i]));
                int j = i + 2;
                while (j < lines.length && lines[j].contains("|") && !lines[j].isBlank()) {
                    rows.add(markdownCells(lines[j]));
                    j++;
                }
                out.append(render(rows, groupChars));
                i = j;
                if (i < lines.length) {
                    out.append('\n');
                }
                continue;
            }
            out.append(lines[i]);
            if (i + 1 < lines.length) {
                out.append('\n');
            }
            i++;
        }
        return out.toString();
    }

    private static List<String> markdownCells(String line) {
        String s = line.strip();
        if (s.startsWith("|")) {
            s = s.substring(1);
        }
        if (s.endsWith("|") && !s.endsWith("\\|")) {
            s = s.substring(0, s.length() - 1);
        }
        List<String> cells = new ArrayList<>();
        for (String cell : s.split("(?<!\\\\)\\|", -1)) {
            cells.add(cell.replace("\\|", "/"));
        }
        return cells;
    }

    /**
     * Whether {@code line} is a table row: one line of two or more cells, separated by tabs, by {@code |} at least
     * twice (Markdown) or once between spaces ({@link #SEPARATOR}).
     */
    public static boolean isRow(CharSequence line) {
        int pipes = 0;
        int tabs = 0;
        boolean content = false;
        int start = 0;
        int end = line.length();
        while (start < end && Character.isWhitespace(line.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(line.charAt(end - 1))) {
            end--;
        }
        for (int i = start; i < end; i++) {
            char c = line.charAt(i);
            if (c == '\n') {
                return false;
            }
            if (c == '|') {
                pipes++;
            } else if (c == '\t') {
                tabs++;
            } else if (!Character.isWhitespace(c)) {
                content = true;
            }
        }
        // Two cells as written here ("Engine | Throughput") have one spaced pipe; Markdown's have two pipes or more.
        return content && (pipes >= 2 || tabs >= 1 || pipes == 1 && spacedPipe(line, start, end));
    }

    private static boolean spacedPipe(CharSequence line, int start, int end) {
        for (int i = start + 1; i + 1 < end; i++) {
            if (line.charAt(i) == '|' && line.charAt(i - 1) == ' ' && line.charAt(i + 1) == ' ') {
                return true;
            }
        }
        return false;
    }

    /**
     * The header row of the table row that starts at {@code rowStart} in {@code text}: the first line of the run of
     * row lines (no blank line between) that holds it. Empty when the row is itself the first line of its run or is
     * no row.
     */
    public static Optional<String> headerOf(String text, int rowStart) {
        int lineStart = text.lastIndexOf('\n', rowStart - 1) + 1;
        int lineEnd = text.indexOf('\n', lineStart);
        if (!isRow(text.substring(lineStart, lineEnd < 0 ? text.length() : lineEnd))) {
            return Optional.empty();
        }
        int first = lineStart;
        while (first > 0) {
            int previousStart = text.lastIndexOf('\n', first - 2) + 1;
            String previous = text.substring(previousStart, first - 1);
            if (!isRow(previous)) {
                break;
            }
            first = previousStart;
        }
        if (first == lineStart) {
            return Optional.empty();
        }
        int headerEnd = text.indexOf('\n', first);
        return Optional.of(text.substring(first, headerEnd).strip());
    }

    /**
     * A row read with its header: {@code "Region: North; Revenue: 12.5; Growth: 3%"}. Cells beyond the header's
     * are kept as they are; a header cell that is empty leaves its value alone.
     */
    public static String labelled(String header, String row) {
        String[] names = cells(header);
        String[] values = cells(row);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (values[i].isEmpty()) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append("; ");
            }
            if (i < names.length && !names[i].isEmpty()) {
                out.append(names[i]).append(": ");
            }
            out.append(values[i]);
        }
        return out.toString();
    }

    private static String[] cells(String row) {
        String[] cells = row.strip().split(row.contains("|") ? "\\s*\\|\\s*" : "\\t", -1);
        for (int i = 0; i < cells.length; i++) {
            cells[i] = cells[i].strip();
        }
        return cells;
    }
}
