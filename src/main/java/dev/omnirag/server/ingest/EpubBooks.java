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
 * <p>Non-linear items (notes, answer keys the reader reaches by link) follow the reading order. Left out: the contents
 * pages (the navigation document, an EPUB 2 guide's {@code toc}, an EPUB 3 {@code toc} landmark; the NCX is no spine
 * item) and items that are not (X)HTML (an SVG cover). A book whose text is encrypted (DRM) fails with that reason;
 * font obfuscation, which only scrambles embedded fonts, does not matter. A section the package names that the zip
 * does not hold is named in the document's note; an unreadable encryption file leaves the book to Tika's parser, one
 * text. Stateless and thread safe.
 */
final class EpubBooks {
    static final String TYPE = "application/epub+zip";

    /** EPUB's font obfuscation algorithms (IDPF's and Adobe's): fonts scrambled, text readable. */
    private static final Set<String> FONT_OBFUSCATION =
            Set.of("http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC");

    private static final Set<String> CONTENT_TYPES = Set.of("application/xhtml+xml", "text/html");

    private static final String ENCRYPTION = "META-INF/encryption.xml";
    /** The largest package, container or encryption file read (a real one is a few hundred KB at most). */
    private static final long MAX_XML_BYTES = 8L * 1024 * 1024;

    private EpubBooks() {}

    /**
     * A book's package: its title and the zip entries of its sections in reading order.
     *
     * @param title the package's {@code dc:title}; null when it has none
     * @param missing the hrefs of sections the package names that the file does not hold (a damaged or hand-made
     *     book), for the document's note
     */
    record Book(String title, List<String> sections, List<String> missing) {
        Book {
            sections = List.copyOf(sections);
            missing = List.copyOf(missing);
        }

        /** What the user should know about the book's reading, or null. */
        String note() {
            return missing.isEmpty()
                    ? null
                    : missing.size() + " section" + (missing.size() == 1 ? "" : "s")
                            + " the book's package names " + (missing.size() == 1 ? "is" : "are")
                            + " not in the file and could not be read: "
                            + String.join(", ", missing.subList(0, Math.min(5, missing.size())))
                            + (missing.size() > 5 ? ", …" : "");
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
        String navPath = null;
        for (Element item : elements(opf, "item")) {
            String href = item.getAttribute("href");
            if (!item.getAttribute("id").isEmpty() && !href.isEmpty()) {
                String path = entry(zip, opfPath, href);
                String properties = item.getAttribute("properties");
                manifest.put(
                        item.getAttribute("id"),
                        new String[] {path, item.getAttribute("media-type"), properties, href});
                if (path != null && List.of(properties.strip().split("\\s+")).contains("nav")) {
                    navPath = path;
                }
            }
        }
        Set<String> contents = contentsPages(zip, opf, opfPath, navPath);
        List<String> linear = new ArrayList<>();
        List<String> aside = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> missing = new ArrayList<>();
        for (Element ref : elements(opf, "itemref")) {
            String[] item = manifest.get(ref.getAttribute("idref"));
            if (item == null || !content(item[1], item[3])) {
                continue;
            }
            if (item[0] == null) {
                // Named by the package, not in the zip (Tika's parser gives up on such a book): the rest is read, and
                // the document's note says what is missing.
                missing.add(item[3]);
                continue;
            }
            if (contents.contains(item[0]) || !seen.add(item[0])) {
                continue;
            }
            // Non-linear items (notes, answer keys reached by link) are text too: after the reading order.
            ("no".equalsIgnoreCase(ref.getAttribute("linear").strip()) ? aside : linear).add(item[0]);
        }
        List<String> sections = new ArrayList<>(linear);
        sections.addAll(aside);
        if (sections.isEmpty()) {
            return null;
        }
        Encryption encryption = encryption(zip, Set.copyOf(sections));
        if (encryption.unreadable()) {
            return null;
        }
        if (encryption.algorithm() != null) {
            throw new IngestException.BadFile("the EPUB's text is encrypted (DRM; " + encryption.algorithm()
                    + "): it cannot be read without the publisher's key");
        }
        List<Element> titles = elements(opf, "title");
        String title = titles.isEmpty()
                ? null
                : titles.getFirst().getTextContent().strip().replaceAll("\\s+", " ");
        return new Book(title == null || title.isEmpty() ? null : title, sections, missing);
    }

    /** Whether a manifest item is a content document: its media type, or with none, its name. */
    private static boolean content(String mediaType, String href) {
        String type = mediaType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!type.isEmpty()) {
            return CONTENT_TYPES.contains(type);
        }
        String name = href.toLowerCase(Locale.ROOT).split("#", 2)[0];
        return name.endsWith(".xhtml") || name.endsWith(".html") || name.endsWith(".htm");
    }

    /**
     * The book's contents pages: the navigation document, an EPUB 2 guide's {@code toc} reference and the EPUB 3
     * landmark of type {@code toc} (a styled contents page in the spine, apart from the navigation document). Their
     * lists of chapter titles would match every search for a chapter's words.
     */
    private static Set<String> contentsPages(ZipFile zip, Document opf, String opfPath, String navPath)
            throws IOException {
        Set<String> out = new HashSet<>();
        if (navPath != null) {
            out.add(navPath);
        }
        for (Element reference : elements(opf, "reference")) {
            if ("toc".equalsIgnoreCase(reference.getAttribute("type").strip())) {
                String path = entry(zip, opfPath, reference.getAttribute("href"));
                if (path != null) {
                    out.add(path);
                }
            }
        }
        Document nav = navPath == null ? null : dom(zip, navPath);
        if (nav != null) {
            for (Element list : elements(nav, "nav")) {
                if (!typeOf(list).contains("landmarks")) {
                    continue;
                }
                for (Element link : elements(list, "a")) {
                    if (List.of(typeOf(link).split("\\s+")).contains("toc")) {
                        String path = entry(zip, navPath, link.getAttribute("href"));
                        if (path != null) {
                            out.add(path);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** An element's {@code epub:type}, lower case. */
    private static String typeOf(Element element) {
        String type = element.getAttributeNS("http://www.idpf.org/2007/ops", "type");
        if (type.isEmpty()) {
            type = element.getAttribute("epub:type");
        }
        return type.strip().toLowerCase(Locale.ROOT);
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

    /**
     * An XHTML section's text in its encoding: a byte order mark's, else its XML declaration's or its {@code <meta>}'s
     * charset, else UTF-8 (as EPUB requires). Self-closed elements whose content an HTML parser reads as raw text
     * ({@code <style/>}, {@code <noscript/>}, {@code <title/>}...) are closed, as XHTML means them: parsed as HTML, one
     * swallowed the rest of its section.
     */
    static String text(byte[] bytes) {
        java.nio.charset.Charset charset = StandardCharsets.UTF_8;
        int skip = 0;
        if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF) {
            charset = StandardCharsets.UTF_16BE;
            skip = 2;
        } else if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE) {
            charset = StandardCharsets.UTF_16LE;
            skip = 2;
        } else if (bytes.length >= 3
                && (bytes[0] & 0xFF) == 0xEF
                && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF) {
            skip = 3;
        } else {
            String head = new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.ISO_8859_1);
            java.util.regex.Matcher declared = DECLARED_CHARSET.matcher(head);
            if (declared.find()) {
                try {
                    charset = java.nio.charset.Charset.forName(
                            declared.group(1) != null ? declared.group(1) : declared.group(2));
                } catch (IllegalArgumentException unknown) {
                    charset = StandardCharsets.UTF_8;
                }
            }
        }
        String text = new String(bytes, skip, bytes.length - skip, charset);
        return SELF_CLOSED_RAW_TEXT.matcher(text).replaceAll("<$1$2></$1>");
    }

    /** The charset an XML declaration or a {@code <meta>} names, in a document's first bytes. */
    private static final java.util.regex.Pattern DECLARED_CHARSET = java.util.regex.Pattern.compile(
            "<\\?xml[^>]*encoding\\s*=\\s*[\"']([\\w.:-]+)[\"']|<meta[^>]*charset\\s*=\\s*[\"']?([\\w.:-]+)",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    /** Elements an HTML parser reads as raw text up to their end tag, self-closed as XHTML allows. */
    private static final java.util.regex.Pattern SELF_CLOSED_RAW_TEXT = java.util.regex.Pattern.compile(
            "<(style|noscript|xmp|noembed|noframes|plaintext|textarea|title|script|iframe)(\\s[^<>]*?)?/>",
            java.util.regex.Pattern.CASE_INSENSITIVE);

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
     * What META-INF/encryption.xml says of the sections.
     *
     * @param algorithm the algorithm of the first section encrypted by something other than font obfuscation; null
     *     when none is
     * @param unreadable the file is there but cannot be read: whether the text is encrypted is unknown
     */
    private record Encryption(String algorithm, boolean unreadable) {}

    private static Encryption encryption(ZipFile zip, Set<String> sections) throws IOException {
        if (zip.getEntry(ENCRYPTION) == null) {
            return new Encryption(null, false);
        }
        Document encryption = dom(zip, ENCRYPTION);
        if (encryption == null) {
            return new Encryption(null, true);
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
                    return new Encryption(algorithm.isEmpty() ? "an unnamed algorithm" : algorithm, false);
                }
            }
        }
        return new Encryption(null, false);
    }

    /**
     * The zip entry an {@code href} of the document at {@code base} names: resolved as a URI (percent-decoded, without
     * its fragment), else as written (producers leave spaces, brackets and colons unencoded); null when the zip holds
     * neither.
     */
    private static String entry(ZipFile zip, String base, String href) {
        String resolved = resolve(base, href);
        if (resolved != null && zip.getEntry(resolved) != null) {
            return resolved;
        }
        int slash = base.lastIndexOf('/');
        String raw = (slash < 0 ? "" : base.substring(0, slash + 1)) + href.strip();
        if (zip.getEntry(raw) != null) {
            return raw;
        }
        int hash = raw.indexOf('#');
        if (hash > 0 && zip.getEntry(raw.substring(0, hash)) != null) {
            return raw.substring(0, hash);
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

    /**
     * An entry parsed as XML (Tika's hardened parser: no external entities), or null when missing, not XML or larger
     * than {@link #MAX_XML_BYTES}.
     */
    private static Document dom(ZipFile zip, String name) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            return null;
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes((int) MAX_XML_BYTES + 1);
            if (bytes.length > MAX_XML_BYTES) {
                return null;
            }
            return XMLReaderUtils.buildDOM(new java.io.ByteArrayInputStream(bytes), new ParseContext());
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
