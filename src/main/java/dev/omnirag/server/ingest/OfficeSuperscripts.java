package dev.omnirag.server.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The superscript digits of Word documents, PowerPoint decks and OpenDocument texts, which Tika writes as plain
 * digits glued to the word before ("previously12", "240 m2"): one streamed pass over a Word file's body ({@code
 * word/document.xml}), over each slide of a deck, in the deck's order, or over an OpenDocument text's {@code
 * content.xml} finds each run formatted superscript (Word's {@code <w:vertAlign w:val="superscript"/>}, DrawingML's
 * positive {@code baseline}, an OpenDocument span whose automatic style has a raised {@code style:text-position})
 * whose text is digits ({@link Superscripts#isRun}),
 * with the characters before it in its paragraph, for {@link Superscripts#apply} to raise in the text Tika gave. A
 * run formatted by a style alone is not seen (the style's definition is in another part); a text box inside a Word
 * run, a drawing's fallback copy and a tracked change's old format are skipped. Stateless.
 */
final class OfficeSuperscripts {

    /** The Word media type read here. */
    static final String WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    /** The PowerPoint media type read here. */
    static final String SLIDES = "application/vnd.openxmlformats-officedocument.presentationml.presentation";

    /** The OpenDocument text media type read here. */
    static final String OPEN_DOCUMENT = "application/vnd.oasis.opendocument.text";

    private static final String W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    private static final String TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
    private static final String STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0";
    private static final String A = "http://schemas.openxmlformats.org/drawingml/2006/main";
    private static final String R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    /** Elements whose content is skipped: a text box (inside a run), a drawing's fallback, a tracked change's old format. */
    private static final Set<String> SKIPPED = Set.of("txbxContent", "Fallback", "rPrChange", "pPrChange");

    /** Characters of a paragraph kept before a run: the end of the word it follows. */
    private static final int CONTEXT = 4;

    private OfficeSuperscripts() {}

    /**
     * The superscript digit runs of {@code docx}'s body in document order; empty when it has none or cannot be read
     * (Tika reports a damaged file; this pass only adds fidelity).
     */
    static List<Superscripts.Run> word(Path docx) {
        return part(docx, "word/document.xml", in -> runs(in, W));
    }

    /** Reads the runs of one part of an office file. */
    private interface PartReader {
        List<Superscripts.Run> read(InputStream part) throws XMLStreamException;
    }

    /** The runs {@code reader} finds in the part {@code name} of the zip {@code file}; empty when it cannot be read. */
    private static List<Superscripts.Run> part(Path file, String name, PartReader reader) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(name);
            if (entry == null) {
                return List.of();
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return reader.read(in);
            }
        } catch (IOException | XMLStreamException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * The superscript digit runs of each slide of {@code pptx}, in the deck's order (Tika's pages); empty when it has
     * none or cannot be read.
     */
    static List<List<Superscripts.Run>> slides(Path pptx) {
        try (ZipFile zip = new ZipFile(pptx.toFile())) {
            List<List<Superscripts.Run>> out = new ArrayList<>();
            for (String part : slideParts(zip)) {
                ZipEntry slide = zip.getEntry(part);
                if (slide == null) {
                    return List.of();
                }
                try (InputStream in = zip.getInputStream(slide)) {
                    out.add(runs(in, A));
                }
            }
            return out;
        } catch (IOException | XMLStreamException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * The superscript digit runs of an OpenDocument text's body ({@code content.xml}) in document order: the spans
     * whose automatic style raises them ({@code style:text-position="super"} or a positive percentage); empty when it
     * has none or cannot be read. A note's citation and body are skipped (Tika writes the note elsewhere).
     */
    static List<Superscripts.Run> openDocument(Path odt) {
        return part(odt, "content.xml", OfficeSuperscripts::openDocumentRuns);
    }

    private static List<Superscripts.Run> openDocumentRuns(InputStream xml) throws XMLStreamException {
        XMLStreamReader r = reader(xml);
        java.util.Set<String> raisedStyles = new java.util.HashSet<>();
        String style = null;
        List<Superscripts.Run> out = new ArrayList<>();
        StringBuilder paragraph = new StringBuilder();
        // The spans open around the text: where each starts in its paragraph, and whether its style raises it.
        java.util.Deque<int[]> spans = new java.util.ArrayDeque<>();
        int skipped = 0;
        try {
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String name = r.getLocalName();
                    if (skipped > 0) {
                        skipped++;
                        continue;
                    }
                    if (ODT_SKIPPED.contains(name)) {
                        // a note (Tika writes it elsewhere), a frame's or a comment's own paragraphs
                        skipped = 1;
                        continue;
                    }
                    if (STYLE.equals(r.getNamespaceURI()) && name.equals("style")) {
                        style = "text".equals(r.getAttributeValue(STYLE, "family"))
                                ? r.getAttributeValue(STYLE, "name")
                                : null;
                    } else if (STYLE.equals(r.getNamespaceURI()) && name.equals("text-properties") && style != null) {
                        if (raises(r.getAttributeValue(STYLE, "text-position"))) {
                            raisedStyles.add(style);
                        }
                    } else if (TEXT.equals(r.getNamespaceURI())) {
                        switch (name) {
                            case "p", "h" -> paragraph.setLength(0);
                            case "span" -> {
                                boolean raised = raisedStyles.contains(r.getAttributeValue(TEXT, "style-name"));
                                spans.push(new int[] {paragraph.length(), raised ? 1 : 0});
                            }
                            // one space whatever its count, as Tika writes it
                            case "s" -> paragraph.append(' ');
                            case "tab" -> paragraph.append('\t');
                            case "line-break" -> paragraph.append('\n');
                            default -> {}
                        }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    if (skipped > 0) {
                        skipped--;
                        continue;
                    }
                    if (STYLE.equals(r.getNamespaceURI()) && r.getLocalName().equals("style")) {
                        style = null;
                    }
                    if (TEXT.equals(r.getNamespaceURI()) && r.getLocalName().equals("span") && !spans.isEmpty()) {
                        int[] span = spans.pop();
                        int start = span[0];
                        if (span[1] == 1 && start <= paragraph.length()) {
                            String text = paragraph.substring(start);
                            int from = start;
                            while (from > 0
                                    && start - from < CONTEXT
                                    && !Character.isWhitespace(paragraph.charAt(from - 1))) {
                                from--;
                            }
                            if (from < start && Superscripts.isRun(text)) {
                                boolean wordStart = from == 0 || Character.isWhitespace(paragraph.charAt(from - 1));
                                out.add(new Superscripts.Run(paragraph.substring(from, start), text, wordStart, false));
                            }
                        }
                    }
                } else if ((event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA)
                        && skipped == 0) {
                    paragraph.append(r.getText());
                    if (paragraph.length() > MAX_PARAGRAPH) {
                        // a paragraph of a megabyte: what is before is forgotten, runs after it are still found
                        paragraph.setLength(0);
                        spans.clear();
                    }
                }
            }
        } finally {
            r.close();
        }
        return out;
    }

    /** Elements of an OpenDocument text whose content is skipped. */
    private static final Set<String> ODT_SKIPPED = Set.of("note", "frame", "text-box", "annotation");

    /** The longest paragraph kept whole while looking for raised runs. */
    private static final int MAX_PARAGRAPH = 1 << 20;

    /** Whether an OpenDocument {@code style:text-position} ("super", "super 58%", "33% 58%") raises the text. */
    private static boolean raises(String position) {
        if (position == null || position.isBlank()) {
            return false;
        }
        String first = position.strip().split("\\s+")[0];
        if (first.equals("super")) {
            return true;
        }
        try {
            return first.endsWith("%") && Double.parseDouble(first.substring(0, first.length() - 1)) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The deck's slide parts in its order: {@code ppt/presentation.xml}'s slide list through its relationships. */
    static List<String> slideParts(ZipFile zip) throws IOException, XMLStreamException {
        Map<String, String> targets = new HashMap<>();
        ZipEntry rels = zip.getEntry("ppt/_rels/presentation.xml.rels");
        ZipEntry presentation = zip.getEntry("ppt/presentation.xml");
        if (rels == null || presentation == null) {
            return List.of();
        }
        try (InputStream in = zip.getInputStream(rels)) {
            XMLStreamReader r = reader(in);
            while (r.hasNext()) {
                if (r.next() == XMLStreamConstants.START_ELEMENT && "Relationship".equals(r.getLocalName())) {
                    targets.put(r.getAttributeValue(null, "Id"), r.getAttributeValue(null, "Target"));
                }
            }
            r.close();
        }
        List<String> parts = new ArrayList<>();
        try (InputStream in = zip.getInputStream(presentation)) {
            XMLStreamReader r = reader(in);
            while (r.hasNext()) {
                if (r.next() == XMLStreamConstants.START_ELEMENT && "sldId".equals(r.getLocalName())) {
                    String target = targets.get(r.getAttributeValue(R, "id"));
                    if (target != null) {
                        parts.add(target.startsWith("/") ? target.substring(1) : "ppt/" + target);
                    }
                }
            }
            r.close();
        }
        return parts;
    }

    static XMLStreamReader reader(InputStream in) throws XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return factory.createXMLStreamReader(in);
    }

    /**
     * The superscript digit runs of one part ({@code ns}: Word's namespace for a document's body, DrawingML's for a
     * slide), in order.
     */
    static List<Superscripts.Run> runs(InputStream xml, String ns) throws XMLStreamException {
        XMLStreamReader r = reader(xml);
        List<Superscripts.Run> out = new ArrayList<>();
        StringBuilder paragraph = new StringBuilder();
        StringBuilder run = new StringBuilder();
        boolean inRun = false;
        boolean raised = false;
        int depth = 0;
        int skipFrom = -1;
        try {
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                    if (skipFrom >= 0 && depth <= skipFrom) {
                        skipFrom = -1; // the skipped element's end
                        continue;
                    }
                }
                if (skipFrom >= 0) {
                    continue;
                }
                if (event == XMLStreamConstants.START_ELEMENT && SKIPPED.contains(r.getLocalName())) {
                    // a text box's paragraphs (inside a run), a drawing's fallback copy, formatting before a
                    // tracked change: none is the run's own text or format
                    skipFrom = depth - 1;
                    continue;
                }
                if (event == XMLStreamConstants.START_ELEMENT && ns.equals(r.getNamespaceURI())) {
                    switch (r.getLocalName()) {
                        case "p" -> paragraph.setLength(0);
                        case "r" -> {
                            inRun = true;
                            raised = false;
                            run.setLength(0);
                        }
                        case "vertAlign" -> raised |= inRun && "superscript".equals(r.getAttributeValue(W, "val"));
                        case "rPr" ->
                            raised |= inRun && A.equals(ns) && positive(r.getAttributeValue(null, "baseline"));
                        case "t" -> {
                            if (inRun) {
                                run.append(r.getElementText());
                                depth--; // getElementText read to the element's end
                            }
                        }
                        case "tab" -> run.append(inRun ? "\t" : "");
                        default -> {}
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT
                        && ns.equals(r.getNamespaceURI())
                        && "r".equals(r.getLocalName())) {
                    String text = run.toString();
                    String before = before(paragraph);
                    if (raised && !before.isEmpty() && Superscripts.isRun(text)) {
                        int start = paragraph.length() - before.length();
                        boolean wordStart = start == 0 || Character.isWhitespace(paragraph.charAt(start - 1));
                        out.add(new Superscripts.Run(before, text, wordStart, false));
                    }
                    paragraph.append(text);
                    inRun = false;
                }
            }
        } finally {
            r.close();
        }
        return out;
    }

    /** Whether a DrawingML {@code baseline} (thousandths of a percent) raises its run. */
    private static boolean positive(String baseline) {
        try {
            return baseline != null && Integer.parseInt(baseline.strip()) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The end of the paragraph's last word, at most {@value #CONTEXT} characters; empty after a space. */
    private static String before(StringBuilder paragraph) {
        int start = paragraph.length();
        while (start > 0
                && paragraph.length() - start < CONTEXT
                && !Character.isWhitespace(paragraph.charAt(start - 1))) {
            start--;
        }
        return paragraph.substring(start);
    }
}
