package dev.omnirag.server.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The superscript digits of a Word document's body, which Tika writes as plain digits glued to the word before
 * ("previously12", "240 m2"): one streamed pass over {@code word/document.xml} finds each run formatted {@code
 * <w:vertAlign w:val="superscript"/>} whose text is digits ({@link Superscripts#isRun}), with the characters before
 * it in its paragraph, for {@link Superscripts#apply} to raise in the text Tika gave. A run formatted by a character
 * style alone is not seen (the style's definition is in another part). Stateless.
 */
final class WordSuperscripts {

    /** The Word media type this pass reads. */
    static final String TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    private static final String W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    /** Elements whose content is skipped: a text box (inside a run), a drawing's fallback, a tracked change's old format. */
    private static final java.util.Set<String> SKIPPED =
            java.util.Set.of("txbxContent", "Fallback", "rPrChange", "pPrChange");

    /** Characters of a paragraph kept before a run: the end of the word it follows. */
    private static final int CONTEXT = 4;

    private WordSuperscripts() {}

    /**
     * The superscript digit runs of {@code docx}'s body in document order; empty when it has none or cannot be read
     * (Tika reports a damaged file; this pass only adds fidelity).
     */
    static List<Superscripts.Run> runs(Path docx) {
        try (ZipFile zip = new ZipFile(docx.toFile())) {
            ZipEntry body = zip.getEntry("word/document.xml");
            if (body == null) {
                return List.of();
            }
            try (InputStream in = zip.getInputStream(body)) {
                return runs(in);
            }
        } catch (IOException | XMLStreamException | RuntimeException e) {
            return List.of();
        }
    }

    static List<Superscripts.Run> runs(InputStream documentXml) throws XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        XMLStreamReader r = factory.createXMLStreamReader(documentXml);
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
                if (event == XMLStreamConstants.START_ELEMENT && W.equals(r.getNamespaceURI())) {
                    switch (r.getLocalName()) {
                        case "p" -> paragraph.setLength(0);
                        case "r" -> {
                            inRun = true;
                            raised = false;
                            run.setLength(0);
                        }
                        case "vertAlign" -> raised |= inRun && "superscript".equals(r.getAttributeValue(W, "val"));
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
                        && W.equals(r.getNamespaceURI())
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
