package dev.omnirag.server.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.tika.Tika;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Detects media types from bytes and extracts text page by page with Apache Tika. Tika reports pages as
 * XHTML {@code <div class="page">} (PDF pages, spreadsheet sheets) or {@code <div class="slide-content">}
 * (slides); the handler here starts a new page at each. Thread safe.
 */
public final class DocumentParser {

    /** Media types (and the families under them) that ingestion accepts. */
    private static final Set<String> SUPPORTED = Set.of(
            "application/pdf",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
            "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.presentation",
            "application/vnd.oasis.opendocument.spreadsheet", "application/rtf", "application/xhtml+xml",
            "application/epub+zip", "application/xml");

    private final Tika tika = new Tika();
    private final Parser parser = new AutoDetectParser();
    private final boolean repairDamagedPdfs;

    /**
     * @param repairDamagedPdfs index what PDFBox can rebuild from a PDF whose cross-reference structure is
     *     broken (truncated or fuzzed files), instead of failing it
     */
    public DocumentParser(boolean repairDamagedPdfs) {
        this.repairDamagedPdfs = repairDamagedPdfs;
    }

    /** The media type of the file, from its bytes and (as a hint) its name, without parameters. */
    public String detect(Path file, String filename) throws IOException {
        Metadata metadata = new Metadata();
        if (filename != null) {
            metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, filename);
        }
        try (InputStream in = org.apache.tika.io.TikaInputStream.get(file)) {
            return tika.getDetector().detect(in, metadata).getBaseType().toString();
        }
    }

    /** True when ingestion can extract text from this media type. */
    public boolean supports(String mediaType) {
        String type = MediaType.parse(mediaType).getBaseType().toString().toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || SUPPORTED.contains(type);
    }

    /**
     * Extracts the text of each page.
     *
     * @throws IngestException.BadFile when the file cannot be read as its type, is encrypted, or has no text
     */
    public ParsedDocument parse(Path file, String mediaType) throws IOException {
        boolean pdf = mediaType.equals("application/pdf");
        if (pdf && !repairDamagedPdfs) {
            var problem = PdfIntegrity.problem(file);
            if (problem.isPresent()) {
                throw new IngestException.BadFile(problem.get()
                        + "; set omnirag.ingest.repair-damaged-pdfs=true to index what can be recovered");
            }
        }
        PageHandler handler = new PageHandler();
        Metadata metadata = new Metadata();
        metadata.set(Metadata.CONTENT_TYPE, mediaType);
        try (InputStream in = org.apache.tika.io.TikaInputStream.get(file)) {
            parser.parse(in, handler, metadata, new ParseContext());
        } catch (EncryptedDocumentException e) {
            throw new IngestException.BadFile("the file is encrypted (password protected); upload it without the password");
        } catch (TikaException e) {
            throw new IngestException.BadFile("cannot read the file as " + mediaType + ": " + rootMessage(e));
        } catch (SAXException e) {
            throw new IngestException.BadFile("cannot read the file as " + mediaType + ": " + rootMessage(e));
        } catch (RuntimeException e) {
            // Parsers of damaged files throw all kinds of runtime exceptions; they are the file's fault.
            throw new IngestException.BadFile("cannot read the file as " + mediaType + ": " + rootMessage(e));
        }
        ParsedDocument doc = handler.result();
        if (pdf && pageCharacters(metadata) == 0) {
            // Form fields and metadata alone are not content worth indexing (fuzzed files often have only those).
            throw new IngestException.BadFile("true".equals(metadata.get("pdf:encrypted"))
                    ? "the PDF is encrypted and no text could be extracted from its pages"
                    : "no text could be extracted from the PDF's pages (an image-only or scanned file needs OCR, "
                            + "which this server does not run yet)");
        }
        if (!doc.hasText()) {
            throw new IngestException.BadFile("no text could be extracted from the file (an image-only or scanned "
                    + "file needs OCR, which this server does not run yet)");
        }
        return doc;
    }

    /** Characters of page text Tika's PDF parser found (its pdf:charsPerPage), 0 when it read no page. */
    private static long pageCharacters(Metadata metadata) {
        long total = 0;
        for (String v : metadata.getValues("pdf:charsPerPage")) {
            try {
                total += Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                // ignore a malformed count
            }
        }
        return total;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        if (msg == null || msg.isBlank()) {
            msg = root.getClass().getSimpleName();
        }
        return msg.length() > 300 ? msg.substring(0, 300) + "…" : msg;
    }

    /** Collects text, starting a page at each page/slide div and a line at each block element. */
    private static final class PageHandler extends DefaultHandler {
        private static final Set<String> BLOCKS = Set.of("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4",
                "h5", "h6", "pre", "blockquote", "table", "td", "th", "dd", "dt", "title");
        private final List<StringBuilder> pages = new ArrayList<>();
        private StringBuilder current = new StringBuilder();
        private boolean paged;
        private int skipDepth;

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) {
            String name = localName.isEmpty() ? qName : localName;
            if (name.equals("head") || name.equals("script") || name.equals("style")) {
                skipDepth++;
                return;
            }
            String cls = atts.getValue("class");
            if (name.equals("div") && ("page".equals(cls) || "slide-content".equals(cls))) {
                if (!paged && current.toString().isBlank()) {
                    current.setLength(0);
                } else {
                    pages.add(current);
                    current = new StringBuilder();
                }
                paged = true;
                return;
            }
            if (BLOCKS.contains(name)) {
                newline();
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            String name = localName.isEmpty() ? qName : localName;
            if (name.equals("head") || name.equals("script") || name.equals("style")) {
                skipDepth = Math.max(0, skipDepth - 1);
                return;
            }
            if (BLOCKS.contains(name)) {
                newline();
            } else if (name.equals("td") || name.equals("th")) {
                current.append('\t');
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (skipDepth == 0) {
                current.append(ch, start, length);
            }
        }

        @Override
        public void ignorableWhitespace(char[] ch, int start, int length) {
            if (skipDepth == 0) {
                current.append(ch, start, length);
            }
        }

        private void newline() {
            int n = current.length();
            if (n > 0 && current.charAt(n - 1) != '\n') {
                current.append('\n');
            }
        }

        ParsedDocument result() {
            List<StringBuilder> all = new ArrayList<>(pages);
            all.add(current);
            List<ParsedDocument.Page> out = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                out.add(new ParsedDocument.Page(i + 1, all.get(i).toString()));
            }
            return new ParsedDocument(out, paged);
        }
    }
}
