package dev.omnirag.server.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A deck's numbered paragraphs with the numbers PowerPoint shows. PowerPoint writes a numbered list's numbering on each
 * of its paragraphs ({@code a:buAutoNum}), and Tika leaves it out: a slide's steps read as bare lines, and an answer
 * quoting step 3 could not say so. Bullets are left as they are: they are mostly inherited from the slide's layout, and
 * each paragraph is a line of its own already.
 *
 * <p>Counting follows PowerPoint: within one text box, consecutive numbered paragraphs of a level count on (deeper
 * levels in between do not interrupt them, and restart under each), a paragraph of that level or above without
 * numbering ends the list, empty paragraphs are skipped, {@code startAt} gives the first number. Stateless and thread
 * safe.
 */
final class SlideNumbering {
    private static final String A = "http://schemas.openxmlformats.org/drawingml/2006/main";
    private static final String MC = "http://schemas.openxmlformats.org/markup-compatibility/2006";
    /** How many lines on from the last one matched a paragraph's line may be: Tika's text of a slide follows its XML. */
    private static final int WINDOW = 24;

    private SlideNumbering() {}

    /**
     * A numbered paragraph.
     *
     * @param text its text, whitespace collapsed
     * @param marker its number as shown: "1.", "b)", "(iv)"; null for a paragraph without
     */
    record Numbered(String text, String marker) {}

    /**
     * Per slide, in the deck's order, its paragraphs in order (empty for a slide without numbered ones); empty when the
     * deck has none or on failure.
     */
    static List<List<Numbered>> of(Path pptx) {
        try (ZipFile zip = new ZipFile(pptx.toFile())) {
            List<List<Numbered>> out = new ArrayList<>();
            boolean any = false;
            for (String part : OfficeSuperscripts.slideParts(zip)) {
                ZipEntry slide = zip.getEntry(part);
                if (slide == null) {
                    return List.of();
                }
                try (InputStream in = zip.getInputStream(slide)) {
                    List<Numbered> numbered = numbered(in);
                    any |= !numbered.isEmpty();
                    out.add(numbered);
                }
            }
            return any ? out : List.of();
        } catch (IOException | XMLStreamException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * A page's text with its numbers in place.
     *
     * @param text the text
     * @param at where each number was put, in the page's text before (ascending)
     * @param added how many characters each added there
     */
    record Applied(String text, List<Integer> at, List<Integer> added) {
        /** Where a position of the text before lies in the text now. */
        int shifted(int offset) {
            int out = offset;
            // An anchor where a number was put stays before it.
            for (int i = 0; i < at.size() && at.get(i) < offset; i++) {
                out += added.get(i);
            }
            return out;
        }
    }

    /**
     * The page's text with each numbered paragraph's line starting with its number. The slide's paragraphs are matched
     * to lines in order, by their text, each within {@link #WINDOW} lines of the last match (never far into what Tika
     * adds after the slide's own text: its notes, a layout's text); a paragraph not found is skipped.
     */
    static Applied apply(String page, List<Numbered> paragraphs) {
        String[] lines = page.split("\n", -1);
        int[] starts = new int[lines.length];
        for (int i = 1; i < lines.length; i++) {
            starts[i] = starts[i - 1] + lines[i - 1].length() + 1;
        }
        List<Integer> at = new ArrayList<>();
        List<Integer> added = new ArrayList<>();
        String[] normal = new String[lines.length];
        int cursor = 0;
        for (Numbered paragraph : paragraphs) {
            if (paragraph.text().isEmpty()) {
                continue;
            }
            for (int i = cursor; i < Math.min(lines.length, cursor + WINDOW); i++) {
                if (normal[i] == null) {
                    normal[i] = lines[i].strip().replaceAll("\\s+", " ");
                }
                if (!normal[i].equals(paragraph.text())) {
                    continue;
                }
                if (paragraph.marker() != null) {
                    int indent = lines[i].length() - lines[i].stripLeading().length();
                    String mark = paragraph.marker() + " ";
                    lines[i] = lines[i].substring(0, indent) + mark + lines[i].substring(indent);
                    at.add(starts[i] + indent);
                    added.add(mark.length());
                }
                cursor = i + 1;
                break;
            }
        }
        return new Applied(String.join("\n", lines), at, added);
    }

    /**
     * Every paragraph of a slide that has text, in order, with its number (null when it has none): the unnumbered ones
     * take their own lines when the numbers are put in ({@link #apply}), so a title that reads like a step keeps none.
     * Table cells are left out (Tika writes a row as one line), and so is a {@code mc:Fallback} (Tika reads the
     * {@code mc:Choice}).
     */
    private static List<Numbered> numbered(InputStream xml) throws XMLStreamException {
        XMLStreamReader r = OfficeSuperscripts.reader(xml);
        List<Numbered> out = new ArrayList<>();
        // The open lists of the text box being read, by level: {scheme, start, next number}.
        Map<Integer, Object[]> lists = new HashMap<>();
        StringBuilder text = null;
        int level = 0;
        String scheme = null;
        int startAt = 1;
        boolean broken = false;
        boolean runs = false;
        int tables = 0;
        int fallback = 0;
        try {
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String name = r.getLocalName();
                    if (fallback > 0 || name.equals("Fallback") && MC.equals(r.getNamespaceURI())) {
                        fallback++;
                    } else if (A.equals(r.getNamespaceURI()) && name.equals("tbl")) {
                        tables++;
                    } else if (tables > 0) {
                        continue;
                    } else if (name.equals("txBody")) {
                        lists.clear();
                    } else if (A.equals(r.getNamespaceURI()) && name.equals("p")) {
                        text = new StringBuilder();
                        level = 0;
                        scheme = null;
                        startAt = 1;
                        broken = false;
                        runs = false;
                    } else if (text != null && A.equals(r.getNamespaceURI()) && name.equals("pPr")) {
                        level = number(r.getAttributeValue(null, "lvl"), 0);
                    } else if (text != null && A.equals(r.getNamespaceURI()) && name.equals("buAutoNum")) {
                        scheme = r.getAttributeValue(null, "type");
                        startAt = Math.clamp(number(r.getAttributeValue(null, "startAt"), 1), 0, 1_000_000);
                    } else if (text != null && A.equals(r.getNamespaceURI()) && name.equals("br")) {
                        // Tika breaks the paragraph's line there: its first line with text is the one matched.
                        broken = !text.toString().isBlank();
                    } else if (text != null && A.equals(r.getNamespaceURI()) && name.equals("t")) {
                        String t = r.getElementText();
                        runs |= !t.isEmpty();
                        if (!broken) {
                            text.append(t);
                        }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    String name = r.getLocalName();
                    if (fallback > 0) {
                        fallback--;
                    } else if (A.equals(r.getNamespaceURI()) && name.equals("tbl")) {
                        tables--;
                    } else if (tables == 0 && A.equals(r.getNamespaceURI()) && name.equals("p") && text != null) {
                        String paragraph = text.toString().strip().replaceAll("\\s+", " ");
                        text = null;
                        if (!runs) {
                            // An empty paragraph shows no number and ends no list.
                            continue;
                        }
                        final int at = level;
                        lists.keySet().removeIf(l -> l > at);
                        if (scheme == null) {
                            lists.remove(at);
                            out.add(new Numbered(paragraph, null));
                            continue;
                        }
                        Object[] list = lists.get(at);
                        if (list == null || !list[0].equals(scheme) || (int) list[1] != startAt) {
                            list = new Object[] {scheme, startAt, startAt};
                            lists.put(at, list);
                        }
                        int n = (int) list[2];
                        list[2] = n + 1;
                        out.add(new Numbered(paragraph, marker(scheme, n)));
                    }
                }
            }
        } finally {
            r.close();
        }
        return out.stream().anyMatch(n -> n.marker() != null) ? out : List.of();
    }

    /** The number {@code n} as a scheme of {@code a:buAutoNum} shows it; Arabic with a period for any other. */
    static String marker(String scheme, int n) {
        String digits;
        if (scheme.startsWith("alphaLc")) {
            digits = letters(n, 'a');
        } else if (scheme.startsWith("alphaUc")) {
            digits = letters(n, 'A');
        } else if (scheme.startsWith("romanLc")) {
            digits = roman(n).toLowerCase(java.util.Locale.ROOT);
        } else if (scheme.startsWith("romanUc")) {
            digits = roman(n);
        } else {
            digits = Integer.toString(n);
        }
        if (scheme.endsWith("ParenBoth")) {
            return "(" + digits + ")";
        }
        if (scheme.endsWith("ParenR")) {
            return digits + ")";
        }
        if (scheme.endsWith("Plain")) {
            return digits;
        }
        return digits + ".";
    }

    private static String letters(int n, char a) {
        StringBuilder out = new StringBuilder();
        for (int k = Math.max(1, n); k > 0; k = (k - 1) / 26) {
            out.insert(0, (char) (a + (k - 1) % 26));
        }
        return out.toString();
    }

    private static String roman(int n) {
        if (n < 1 || n > 3999) {
            return Integer.toString(n);
        }
        int[] values = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
        String[] symbols = {"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"};
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            for (; n >= values[i]; n -= values[i]) {
                out.append(symbols[i]);
            }
        }
        return out.toString();
    }

    private static int number(String value, int otherwise) {
        try {
            return value == null ? otherwise : Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
