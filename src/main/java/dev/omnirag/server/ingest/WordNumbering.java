package dev.omnirag.server.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import javax.xml.transform.TransformerException;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.apache.tika.exception.TikaException;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.utils.XMLReaderUtils;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * A Word file's restarted numbered lists, numbered as Word numbers them. Word restarts a list ("Restart at 1", and
 * every new numbered list after another one) with a numbering instance that overrides its definition's start
 * ({@code w:num/w:lvlOverride/w:startOverride}); Tika (3.3) applies that start again at every paragraph of the list,
 * so each item read "1." and a procedure's steps were quoted as "1. Lift… 1. Remove… 1. Measure…". In a copy of the
 * file where each such instance has a definition of its own that starts there (a clone of the one it overrode), Tika
 * counts as Word does: per definition, from its start.
 *
 * <p>Only {@code word/numbering.xml} changes; every other entry is copied. Stateless and thread safe.
 */
final class WordNumbering {
    private static final String W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    private static final String NUMBERING = "word/numbering.xml";

    private WordNumbering() {}

    /**
     * The file Tika should read: {@code file} itself when no list restarts (or the numbering cannot be read: Tika
     * reports that), else a corrected copy in the temporary folder, which the caller deletes.
     */
    static Path restarted(Path file) throws IOException {
        byte[] corrected;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(NUMBERING);
            if (entry == null) {
                return file;
            }
            byte[] numbering;
            try (InputStream in = zip.getInputStream(entry)) {
                numbering = in.readAllBytes();
            }
            if (!new String(numbering, java.nio.charset.StandardCharsets.ISO_8859_1).contains("startOverride")) {
                return file;
            }
            corrected = corrected(numbering);
            if (corrected == null) {
                return file;
            }
            Path copy = Files.createTempFile("omnirag-numbered", ".docx");
            try (OutputStream out = Files.newOutputStream(copy);
                    ZipOutputStream to = new ZipOutputStream(out)) {
                Enumeration<? extends ZipEntry> entries = zip.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry e = entries.nextElement();
                    to.putNextEntry(new ZipEntry(e.getName()));
                    if (e.getName().equals(NUMBERING)) {
                        to.write(corrected);
                    } else {
                        try (InputStream in = zip.getInputStream(e)) {
                            in.transferTo(to);
                        }
                    }
                    to.closeEntry();
                }
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(copy);
                throw e;
            }
            return copy;
        } catch (java.util.zip.ZipException | IllegalArgumentException e) {
            // Not a zip Java reads: Tika's parser tries, and says why.
            return file;
        }
    }

    /**
     * {@code numbering.xml} with each instance's start overrides moved into a definition of its own; null when
     * nothing changed or the part is not XML.
     */
    static byte[] corrected(byte[] numbering) {
        Document doc;
        try {
            doc = XMLReaderUtils.buildDOM(new java.io.ByteArrayInputStream(numbering), new ParseContext());
        } catch (SAXException | TikaException | IOException e) {
            return null;
        }
        Element root = doc.getDocumentElement();
        List<Element> definitions = children(root, "abstractNum");
        if (definitions.isEmpty()) {
            return null;
        }
        int nextId = 0;
        for (Element definition : definitions) {
            nextId = Math.max(nextId, number(definition.getAttributeNS(W, "abstractNumId")) + 1);
        }
        Node insertAfter = definitions.getLast();
        boolean changed = false;
        for (Element instance : children(root, "num")) {
            List<Element> starts = new ArrayList<>();
            for (Element override : children(instance, "lvlOverride")) {
                starts.addAll(children(override, "startOverride"));
            }
            List<Element> refs = children(instance, "abstractNumId");
            if (starts.isEmpty() || refs.isEmpty()) {
                continue;
            }
            Element definition = definition(definitions, refs.getFirst().getAttributeNS(W, "val"));
            if (definition == null || children(definition, "lvl").isEmpty()) {
                // Missing, or a style's list (w:numStyleLink): its levels are elsewhere; Tika's count stands.
                continue;
            }
            Element own = (Element) definition.cloneNode(true);
            own.setAttributeNS(W, "w:abstractNumId", Integer.toString(nextId));
            // A clone must not be linked to a style's list (w:numStyleLink / w:styleLink name one definition).
            for (String link : List.of("numStyleLink", "styleLink", "nsid")) {
                children(own, link).forEach(own::removeChild);
            }
            for (Element start : starts) {
                Element override = (Element) start.getParentNode();
                String level = override.getAttributeNS(W, "ilvl");
                String value = start.getAttributeNS(W, "val");
                for (Element lvl : children(own, "lvl")) {
                    if (lvl.getAttributeNS(W, "ilvl").equals(level)) {
                        startOf(lvl, value);
                    }
                }
                for (Element lvl : children(override, "lvl")) {
                    startOf(lvl, value);
                }
                override.removeChild(start);
                if (children(override, "lvl").isEmpty()) {
                    instance.removeChild(override);
                }
            }
            refs.getFirst().setAttributeNS(W, "w:val", Integer.toString(nextId));
            root.insertBefore(own, insertAfter.getNextSibling());
            insertAfter = own;
            nextId++;
            changed = true;
        }
        if (!changed) {
            return null;
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(numbering.length + 1024);
            XMLReaderUtils.getTransformer().transform(new DOMSource(doc), new StreamResult(out));
            return out.toByteArray();
        } catch (TikaException | TransformerException e) {
            return null;
        }
    }

    /** Sets a level's {@code w:start}, adding it when the level has none. */
    private static void startOf(Element lvl, String value) {
        List<Element> starts = children(lvl, "start");
        Element start = starts.isEmpty() ? lvl.getOwnerDocument().createElementNS(W, "w:start") : starts.getFirst();
        start.setAttributeNS(W, "w:val", value);
        if (starts.isEmpty()) {
            lvl.insertBefore(start, lvl.getFirstChild());
        }
    }

    private static Element definition(List<Element> definitions, String id) {
        for (Element definition : definitions) {
            if (definition.getAttributeNS(W, "abstractNumId").equals(id)) {
                return definition;
            }
        }
        return null;
    }

    private static int number(String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The element's children in Word's namespace with that local name. */
    private static List<Element> children(Element parent, String localName) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e
                    && W.equals(e.getNamespaceURI())
                    && localName.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }
}
