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
    /** The largest numbering part read or written (real ones are tens of KB; a larger one is left to Tika). */
    private static final int MAX_NUMBERING_BYTES = 4 * 1024 * 1024;

    private WordNumbering() {}

    /**
     * The file Tika should read: {@code file} itself when no list restarts, or when anything goes wrong making the copy
     * (a damaged part, a full disk: Tika reads the file as it is, as before), else a corrected copy in the temporary
     * folder, which the caller deletes.
     */
    static Path restarted(Path file) {
        Path copy = null;
        boolean done = false;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(NUMBERING);
            if (entry == null || entry.getSize() > MAX_NUMBERING_BYTES) {
                return file;
            }
            byte[] numbering;
            try (InputStream in = zip.getInputStream(entry)) {
                numbering = in.readNBytes(MAX_NUMBERING_BYTES + 1);
            }
            if (numbering.length > MAX_NUMBERING_BYTES
                    || !new String(numbering, java.nio.charset.StandardCharsets.ISO_8859_1).contains("startOverride")) {
                return file;
            }
            byte[] corrected = corrected(numbering);
            if (corrected == null) {
                return file;
            }
            copy = Files.createTempFile("omnirag-numbered", ".docx");
            try (OutputStream out = Files.newOutputStream(copy);
                    ZipOutputStream to = new ZipOutputStream(out)) {
                // A copy read once: fast compression (a report's pictures are most of its bytes).
                to.setLevel(java.util.zip.Deflater.BEST_SPEED);
                Enumeration<? extends ZipEntry> entries = zip.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry e = entries.nextElement();
                    if (e.getName().equals(NUMBERING)) {
                        // Stored: its many near-identical definitions would compress past POI's zip bomb ratio.
                        ZipEntry stored = new ZipEntry(NUMBERING);
                        stored.setMethod(ZipEntry.STORED);
                        stored.setSize(corrected.length);
                        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                        crc.update(corrected);
                        stored.setCrc(crc.getValue());
                        to.putNextEntry(stored);
                        to.write(corrected);
                    } else {
                        to.putNextEntry(new ZipEntry(e.getName()));
                        try (InputStream in = zip.getInputStream(e)) {
                            in.transferTo(to);
                        }
                    }
                    to.closeEntry();
                }
            }
            done = true;
            return copy;
        } catch (IOException | RuntimeException e) {
            // Not a zip Java reads, a damaged part, no room for the copy: Tika reads the file itself, and says why.
            return file;
        } finally {
            if (!done && copy != null) {
                try {
                    Files.deleteIfExists(copy);
                } catch (IOException ignored) {
                    // A temporary file; the operating system's cleanup takes it.
                }
            }
        }
    }

    /**
     * {@code numbering.xml} with each instance that restarts its list's first level given a definition of its own
     * (the definition it overrode, with the overridden levels and starts), its overrides removed: Tika reads an
     * instance's overrides by position, not by level, so none may stay. Null when nothing changed, the part is not
     * XML, or the copies would exceed {@link #MAX_NUMBERING_BYTES} (a small file that expands: Tika's count stands).
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
        long budget = MAX_NUMBERING_BYTES - numbering.length;
        java.util.Map<Element, Long> sizes = new java.util.HashMap<>();
        Node insertAfter = definitions.getLast();
        boolean changed = false;
        for (Element instance : children(root, "num")) {
            List<Element> overrides = children(instance, "lvlOverride");
            List<Element> refs = children(instance, "abstractNumId");
            if (overrides.isEmpty() || refs.isEmpty() || !restartsFirstLevel(overrides)) {
                continue;
            }
            Element definition = definition(definitions, refs.getFirst().getAttributeNS(W, "val"));
            if (definition == null || children(definition, "lvl").isEmpty()) {
                // Missing, or a style's list (w:numStyleLink): its levels are elsewhere; Tika's count stands.
                continue;
            }
            budget -= sizes.computeIfAbsent(definition, WordNumbering::size);
            if (budget < 0) {
                return null;
            }
            Element own = (Element) definition.cloneNode(true);
            own.setAttributeNS(W, "w:abstractNumId", Integer.toString(nextId));
            // A clone must not be linked to a style's list (w:numStyleLink / w:styleLink name one definition).
            for (String link : List.of("numStyleLink", "styleLink", "nsid")) {
                children(own, link).forEach(own::removeChild);
            }
            for (Element override : overrides) {
                String level = override.getAttributeNS(W, "ilvl");
                List<Element> replaced = children(override, "lvl");
                for (Element lvl : children(own, "lvl")) {
                    if (lvl.getAttributeNS(W, "ilvl").equals(level) && !replaced.isEmpty()) {
                        Element by = (Element) replaced.getFirst().cloneNode(true);
                        by.setAttributeNS(W, "w:ilvl", level);
                        own.replaceChild(by, lvl);
                    }
                }
                List<Element> start = children(override, "startOverride");
                if (!start.isEmpty()) {
                    for (Element lvl : children(own, "lvl")) {
                        if (lvl.getAttributeNS(W, "ilvl").equals(level)) {
                            startOf(
                                    lvl,
                                    Integer.toString(number(start.getFirst().getAttributeNS(W, "val"))));
                        }
                    }
                }
                instance.removeChild(override);
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
            return out.size() > MAX_NUMBERING_BYTES ? null : out.toByteArray();
        } catch (TikaException | TransformerException e) {
            return null;
        }
    }

    /**
     * Whether an instance restarts its list: an override of the first level with a whole-number start. A restart of a
     * deeper level only continues the list's count above it, which a definition of its own would lose; a start that is
     * no number is left for Tika to ignore.
     */
    private static boolean restartsFirstLevel(List<Element> overrides) {
        boolean first = false;
        for (Element override : overrides) {
            for (Element start : children(override, "startOverride")) {
                String value = start.getAttributeNS(W, "val").strip();
                if (!value.matches("\\d{1,6}")) {
                    return false;
                }
                first |= override.getAttributeNS(W, "ilvl").strip().equals("0");
            }
        }
        return first;
    }

    /** An element's size written out, in characters (a definition's cost per copy); past the budget when unknown. */
    private static long size(Element element) {
        try {
            java.io.StringWriter out = new java.io.StringWriter();
            XMLReaderUtils.getTransformer().transform(new DOMSource(element), new StreamResult(out));
            return out.getBuffer().length();
        } catch (TikaException | TransformerException e) {
            return MAX_NUMBERING_BYTES + 1L;
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
