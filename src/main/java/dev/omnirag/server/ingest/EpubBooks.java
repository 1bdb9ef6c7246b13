package dev.omnirag.server.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.tika.exception.TikaException;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.html.JSoupParser;
import org.apache.tika.sax.BodyContentHandler;
import org.apache.tika.sax.EmbeddedContentHandler;
import org.apache.tika.utils.XMLReaderUtils;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.AttributesImpl;

/**
 * An EPUB book read section by section: each document of its reading order (the package's spine, linear items only)
 * becomes a page, so a citation names the part of the book it comes from and no chunk runs from one chapter into the
 * next. Tika's own EPUB parser writes every document into one body and adds the navigation document (the table of
 * contents, a list of every chapter title) as text, which then matched every search for a chapter's words.
 *
 * <p>Left out: the navigation document (EPUB 3 {@code properties="nav"}, or the NCX), non-linear items (pop-up notes,
 * answer keys the reader reaches by link), and items that are not (X)HTML (an SVG cover). A book whose text is
 * encrypted (DRM) fails with that reason; font obfuscation, which only scrambles embedded fonts, does not matter.
 * Stateless and thread safe.
 */
final class EpubBooks {
    static final String TYPE = "application/epub+zip";

    /** EPUB's font obfuscation algorithms (IDPF's and Adobe's): fonts scrambled, text readable. */
    private static final Set<String> FONT_OBFUSCATION =
            Set.of("http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC");

    private static final Set<String> CONTENT_TYPES = Set.of("application/xhtml+xml", "text/html");

    private EpubBooks() {}

    /**
     * A book's package: its title and the zip entries of its sections in reading order.
     *
     * @param title the package's {@code dc:title}; null when it has none
     */
    record Book(String title, List<String> sections) {
        Book {
            sections = List.copyOf(sections);
        }
    }

    /**
     * Reads the book's package document.
     *
     * @return the book, or null when the file has no readable package (no container, no package document, no spine
     *     item that is a content document): Tika's parser reads it then, as one text
     * @throws IngestException.BadFile when the sections' text is encrypted
     */
    static Book read(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return read(zip);
        } catch (java.util.zip.ZipException | IllegalArgumentException e) {
            // Not a zip Java reads (damaged, or names in another encoding): Tika's parser tries, and says why.
            return null;
        }
    }

    private static Book read(ZipFile zip) throws IOException {
        String opfPath = packagePath(zip);
        if (opfPath == null) {
            return null;
        }
        Document opf = dom(zip, opfPath);
        if (opf == null) {
            return null;
        }
        Map<String, String[]> manifest = new HashMap<>();
        for (Element item : elements(opf, "item")) {
            String href = item.getAttribute("href");
            if (!item.getAttribute("id").isEmpty() && !href.isEmpty()) {
                manifest.put(item.getAttribute("id"), new String[] {
                    resolve(opfPath, href),
                    item.getAttribute("media-type").toLowerCase(Locale.ROOT).strip(),
                    item.getAttribute("properties")
                });
            }
        }
        List<String> sections = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Element ref : elements(opf, "itemref")) {
            String[] item = manifest.get(ref.getAttribute("idref"));
            if (item == null
                    || item[0] == null
                    || "no".equalsIgnoreCase(ref.getAttribute("linear").strip())
                    || !CONTENT_TYPES.contains(item[1])
                    || List.of(item[2].strip().split("\\s+")).contains("nav")
                    || zip.getEntry(item[0]) == null
                    || !seen.add(item[0])) {
                continue;
            }
            sections.add(item[0]);
        }
        if (sections.isEmpty()) {
            return null;
        }
        String encrypted = encryptedSection(zip, Set.copyOf(sections));
        if (encrypted != null) {
            throw new IngestException.BadFile("the EPUB's text is encrypted (DRM; " + encrypted
                    + "): it cannot be read without the publisher's key");
        }
        List<Element> titles = elements(opf, "title");
        String title = titles.isEmpty() ? null : titles.getFirst().getTextContent();
        return new Book(title, sections);
    }

    /**
     * Writes the book's sections into {@code handler} as Tika writes pages ({@code <div class="page">} before each), so
     * the page handler makes each a page.
     *
     * @param maxSectionBytes the largest section read; a larger one fails the file (it would exceed the text limit)
     */
    static void write(Path file, Book book, ContentHandler handler, ParseContext context, long maxSectionBytes)
            throws IOException, SAXException, TikaException {
        JSoupParser html = new JSoupParser();
        ContentHandler body = new EmbeddedContentHandler(new BodyContentHandler(handler));
        AttributesImpl page = new AttributesImpl();
        page.addAttribute("", "class", "class", "CDATA", "page");
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (String section : book.sections()) {
                ZipEntry entry = zip.getEntry(section);
                handler.startElement("", "div", "div", page);
                handler.endElement("", "div", "div");
                try (InputStream in = zip.getInputStream(entry)) {
                    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxSectionBytes + 1));
                    if (bytes.length > maxSectionBytes) {
                        throw new IngestException.BadFile("the EPUB's section " + section + " has more than "
                                + maxSectionBytes + " bytes (omnirag.ingest.max-text-chars)");
                    }
                    Metadata metadata = new Metadata();
                    metadata.set(Metadata.CONTENT_TYPE, "application/xhtml+xml");
                    html.parseString(text(bytes), body, metadata, context);
                }
            }
        }
    }

    /** An XHTML section's text: UTF-16 when it starts with that byte order mark, else UTF-8 (as EPUB requires). */
    private static String text(byte[] bytes) {
        if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF) {
            return new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16BE);
        }
        if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE) {
            return new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16LE);
        }
        int skip =
                bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF
                        ? 3
                        : 0;
        return new String(bytes, skip, bytes.length - skip, StandardCharsets.UTF_8);
    }

    /**
     * The package document's entry named by {@code META-INF/container.xml}, else (no container, or a broken one, as
     * some converters write) the book's only {@code .opf} entry; null without one.
     */
    private static String packagePath(ZipFile zip) throws IOException {
        Document container = dom(zip, "META-INF/container.xml");
        if (container != null) {
            for (Element rootfile : elements(container, "rootfile")) {
                String path = rootfile.getAttribute("full-path").strip();
                if (!path.isEmpty() && zip.getEntry(path) != null) {
                    return path;
                }
            }
        }
        List<String> packages = zip.stream()
                .map(ZipEntry::getName)
                .filter(name -> name.toLowerCase(Locale.ROOT).endsWith(".opf"))
                .limit(2)
                .toList();
        return packages.size() == 1 ? packages.getFirst() : null;
    }

    /**
     * The first section whose bytes META-INF/encryption.xml says are encrypted by something other than font
     * obfuscation, with the algorithm; null when none is.
     */
    private static String encryptedSection(ZipFile zip, Set<String> sections) throws IOException {
        Document encryption = dom(zip, "META-INF/encryption.xml");
        if (encryption == null) {
            return null;
        }
        for (Element data : elements(encryption, "EncryptedData")) {
            List<Element> methods = elements(data, "EncryptionMethod");
            String algorithm = methods.isEmpty()
                    ? ""
                    : methods.getFirst().getAttribute("Algorithm").strip();
            if (FONT_OBFUSCATION.contains(algorithm)) {
                continue;
            }
            for (Element reference : elements(data, "CipherReference")) {
                // Encryption URIs are relative to the container's root, not to the package document.
                String path = resolve("", reference.getAttribute("URI"));
                if (path != null && sections.contains(path)) {
                    return algorithm.isEmpty() ? "an unnamed algorithm" : algorithm;
                }
            }
        }
        return null;
    }

    /** The zip entry a package's {@code href} points to: relative to the package's folder, without its fragment. */
    static String resolve(String base, String href) {
        try {
            int slash = base.lastIndexOf('/');
            URI folder = new URI(null, null, "/" + (slash < 0 ? "" : base.substring(0, slash + 1)), null);
            URI target =
                    folder.resolve(new URI(href.strip().replace(" ", "%20"))).normalize();
            if (target.isAbsolute()
                    || target.getPath() == null
                    || !target.getPath().startsWith("/")
                    || target.getPath().startsWith("/../")) {
                return null;
            }
            return target.getPath().substring(1);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /** An entry parsed as XML (Tika's hardened parser: no external entities), or null when missing or not XML. */
    private static Document dom(ZipFile zip, String name) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            return null;
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return XMLReaderUtils.buildDOM(in, new ParseContext());
        } catch (SAXException | TikaException e) {
            return null;
        }
    }

    /** The elements of that local name in document order, whatever their namespace. */
    private static List<Element> elements(Node root, String localName) {
        NodeList all = root instanceof Document d
                ? d.getElementsByTagNameNS("*", localName)
                : ((Element) root).getElementsByTagNameNS("*", localName);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < all.getLength(); i++) {
            out.add((Element) all.item(i));
        }
        if (out.isEmpty()) {
            // A parser that is not namespace aware names elements by their prefixed name only.
            NodeList plain = root instanceof Document d
                    ? d.getElementsByTagName(localName)
                    : ((Element) root).getElementsByTagName(localName);
            for (int i = 0; i < plain.getLength(); i++) {
                out.add((Element) plain.item(i));
            }
        }
        return out;
    }
}
