package dev.omnirag.server.ingest;

import dev.omnirag.generator.text.TableText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.tika.Tika;
import org.apache.tika.detect.EncodingDetector;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;

/**
 * Detects media types from bytes and extracts text page by page with Apache Tika. Tika reports pages as
 * XHTML {@code <div class="page">} (PDF pages, spreadsheet sheets) or {@code <div class="slide-content">}
 * (slides); the handler here starts a new page at each. Thread safe.
 *
 * <p>Long because Tika, PDF integrity, OCR hand-off, tables and the expansion limits meet here; each part is a
 * private step of one parse.
 */
public final class DocumentParser {

    /** Media types (and the families under them) that ingestion accepts. */
    private static final Set<String> SUPPORTED = Set.of(
            "application/pdf",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/msword",
            "application/vnd.ms-excel",
            "application/vnd.ms-powerpoint",
            "application/vnd.oasis.opendocument.text",
            "application/vnd.oasis.opendocument.presentation",
            "application/vnd.oasis.opendocument.spreadsheet",
            "application/rtf",
            "application/xhtml+xml",
            "application/epub+zip",
            "application/xml",
            "message/rfc822",
            "message/x-emlx",
            MailMessages.OUTLOOK,
            Notebooks.TYPE);

    /** Types whose sheets become pages: Tika writes each as a heading (its name) and a table, in one body. */
    private static final Set<String> SPREADSHEETS = Set.of(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.ms-excel",
            "application/vnd.oasis.opendocument.spreadsheet");

    private final Tika tika = new Tika();
    private final MediaTypeRegistry registry =
            org.apache.tika.mime.MimeTypes.getDefaultMimeTypes().getMediaTypeRegistry();
    private final AutoDetectParser parser = new AutoDetectParser();
    /**
     * Plain text read by Tika's text parser itself, not through the auto-detecting one: that would look up its parser
     * for every file and sniff each text for CSV or TSV, a third of a short text's parse. A file named {@code .csv}
     * or {@code .tsv} is still read as a table. Its charset is guessed only for text that is not well-formed UTF-8
     * ({@link StrictUtf8}).
     */
    private final org.apache.tika.parser.Parser plainText = new org.apache.tika.parser.txt.TXTParser();
    /**
     * Metadata key for the type the upload detected: the parser's detector returns it for the file itself instead of
     * detecting again (embedded documents get their own metadata, without it, and are detected as usual).
     */
    private static final String DETECTED_TYPE = "omnirag:detected-type";
    /** Tika's test for text (no control bytes beyond a few, ASCII or UTF-8), over a file's first 64 KiB. */
    private static final org.apache.tika.detect.TextDetector TEXT_BYTES =
            new org.apache.tika.detect.TextDetector(64 * 1024);

    /** The largest picture of an office document kept for OCR (a bigger one is left out). */
    private static final int MAX_PICTURE_BYTES = 16 * 1024 * 1024;

    private final boolean repairDamagedPdfs;
    private final MediaProcessor media;
    private final Limits limits;

    /**
     * What one file may expand to while it is parsed; each bounds memory and time a hostile file can take.
     *
     * @param maxTextChars most characters of extracted text
     * @param maxPages most pages (PDF pages, slides, sheets, scanned pages)
     * @param maxCompressionRatio largest ratio of a zip entry's inflated to compressed size (Apache POI's zip bomb
     *     guard) and of extracted characters to the file's bytes (Tika's)
     */
    public record Limits(long maxTextChars, int maxPages, int maxCompressionRatio) {

        /** The defaults of {@code omnirag.ingest.*}. */
        public static final Limits DEFAULT = new Limits(20_000_000L, 5000, 100);

        public Limits {
            if (maxTextChars < 1) {
                throw new IllegalArgumentException("maxTextChars must be >= 1; maxTextChars=" + maxTextChars);
            }
            if (maxPages < 1) {
                throw new IllegalArgumentException("maxPages must be >= 1; maxPages=" + maxPages);
            }
            if (maxCompressionRatio < 2) {
                throw new IllegalArgumentException(
                        "maxCompressionRatio must be >= 2; maxCompressionRatio=" + maxCompressionRatio);
            }
        }
    }

    /**
     * @param repairDamagedPdfs index what PDFBox can rebuild from a PDF whose cross-reference structure is
     *     broken (truncated or fuzzed files), instead of failing it
     */
    public DocumentParser(boolean repairDamagedPdfs) {
        this(repairDamagedPdfs, null);
    }

    /**
     * @param repairDamagedPdfs see {@link #DocumentParser(boolean)}
     * @param media OCR and speech recognition (null: text formats only); decides which images, scanned pages
     *     and recordings are accepted
     */
    public DocumentParser(boolean repairDamagedPdfs, MediaProcessor media) {
        this(repairDamagedPdfs, media, Limits.DEFAULT);
    }

    /**
     * @param repairDamagedPdfs see {@link #DocumentParser(boolean)}
     * @param media see {@link #DocumentParser(boolean, MediaProcessor)}
     * @param limits what one file may expand to. The zip entry ratio is Apache POI's, which is global to the JVM
     *     ({@code ZipSecureFile.setMinInflateRatio}): the last parser built sets it.
     */
    public DocumentParser(boolean repairDamagedPdfs, MediaProcessor media, Limits limits) {
        this.repairDamagedPdfs = repairDamagedPdfs;
        this.media = media;
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
        // Tika's OOXML parser switches POI's zip bomb guard off when its class is initialised: initialise it first.
        try {
            Class.forName(
                    "org.apache.tika.parser.microsoft.ooxml.OOXMLParser", true, DocumentParser.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            // No OOXML support on the class path: nothing to guard.
        }
        org.apache.poi.openxml4j.util.ZipSecureFile.setMinInflateRatio(1.0 / limits.maxCompressionRatio());
        // One detection per file: the type found at upload is trusted for the file itself.
        org.apache.tika.detect.Detector detector = parser.getDetector();
        parser.setDetector((in, metadata) -> {
            String known = metadata.get(DETECTED_TYPE);
            return known != null ? MediaType.parse(known) : detector.detect(in, metadata);
        });
        // Tika's own guard: after 1M characters, no more than maxCompressionRatio characters per byte of file, and
        // XHTML nested at most 1000 deep (deeper is a nesting bomb, not a document).
        parser.setAutoDetectParserConfig(new org.apache.tika.parser.AutoDetectParserConfig(
                null, 1_000_000L, (long) limits.maxCompressionRatio(), 1000, 10));
    }

    /**
     * The media type of the file, without parameters. From its bytes (Tika's detectors), except that a file whose
     * name says text ({@code .txt}, {@code .md}, {@code .csv}, {@code .html}...) and whose bytes are text is of the
     * type its name says: Tika's magic detection tries every pattern it knows on a text file and was the larger part
     * of the cost of uploading or importing one (0.5 ms a file when compiled, several before). The client's name never
     * makes bytes that are not text a PDF or an image, and otherwise only refines a textual type (text/plain into
     * Markdown, HTML, CSV...).
     */
    public String detect(Path file, String filename) throws IOException {
        String detected = detectType(file, filename);
        return Notebooks.isNotebook(filename, detected) ? Notebooks.TYPE : detected;
    }

    private String detectType(Path file, String filename) throws IOException {
        MediaType byName =
                filename == null ? null : MediaType.parse(tika.detect(filename)).getBaseType();
        if (byName != null && byName.getType().equals("text")) {
            try (InputStream in = org.apache.tika.io.TikaInputStream.get(file)) {
                if (TEXT_BYTES.detect(in, new Metadata()).equals(MediaType.TEXT_PLAIN)) {
                    return byName.toString();
                }
            }
        }
        MediaType fromBytes;
        try (InputStream in = org.apache.tika.io.TikaInputStream.get(file)) {
            fromBytes = tika.getDetector().detect(in, new Metadata()).getBaseType();
        }
        if (byName == null || !textual(fromBytes)) {
            return fromBytes.toString();
        }
        boolean refines = byName.equals(fromBytes) || registry.isSpecializationOf(byName, fromBytes);
        if (refines
                && fromBytes.equals(MediaType.TEXT_PLAIN)
                && registry.isSpecializationOf(byName, MediaType.APPLICATION_XML)) {
            // A name that says XML over bytes that are not (Tika names Rust's .rs files application/rls-services+xml).
            return fromBytes.toString();
        }
        return (refines ? byName : fromBytes).toString();
    }

    private static boolean textual(MediaType type) {
        return type.getType().equals("text")
                || type.getSubtype().equals("xml")
                || type.getSubtype().endsWith("+xml");
    }

    /** The media type its name suggests (for a file without bytes to detect from), without parameters. */
    public String detectByName(String filename) {
        return filename == null
                ? MediaType.OCTET_STREAM.toString()
                : MediaType.parse(tika.detect(filename)).getBaseType().toString();
    }

    /** True when ingestion can extract text from this media type. */
    public boolean supports(String mediaType) {
        String type = MediaType.parse(mediaType).getBaseType().toString().toLowerCase(Locale.ROOT);
        if (media != null && (media.acceptsImage(type) || media.acceptsAudio(type))) {
            return true;
        }
        return type.startsWith("text/") || SUPPORTED.contains(type) || textFamily(MediaType.parse(type));
    }

    /**
     * True for a type Tika files under plain text (JSON, a shell script, TeX, subtitles, RTF...), other than a picture
     * or an XML type: it is read even when its name is not {@code text/*}.
     */
    private boolean textFamily(MediaType type) {
        return type != null
                && registry.isSpecializationOf(type, MediaType.TEXT_PLAIN)
                // A picture (SVG) is read as a picture or not at all; of the XML family only what is listed above
                // (Tika names Rust's .rs files application/rls-services+xml).
                && !type.getType().equals("image")
                && !registry.isSpecializationOf(type, MediaType.APPLICATION_XML);
    }

    /**
     * True when {@code mediaType} is read by Tika's plain-text parser itself: plain text and the text family that has
     * no parser of its own in Tika (JSON, scripts, logs, Markdown, configuration) or only its source-code parser,
     * which would write each line of a program as a paragraph of its own. A type with a parser of its own (RTF, HTML,
     * XML, CSV, a mailbox) keeps it: its text is not its bytes.
     */
    private boolean plainText(String mediaType) {
        MediaType type = MediaType.parse(mediaType);
        if (type == null) {
            return false;
        }
        if (type.getBaseType().equals(MediaType.TEXT_PLAIN)) {
            return true;
        }
        if (!textFamily(type.getBaseType())) {
            return false;
        }
        return readAsText.computeIfAbsent(type.getBaseType(), t -> {
            org.apache.tika.parser.Parser own = ownParser(t);
            return own == null || own.getClass().getName().equals("org.apache.tika.parser.code.SourceCodeParser");
        });
    }

    /** {@link #plainText} by type: Tika's parser map is built anew on each lookup. */
    private final java.util.concurrent.ConcurrentHashMap<MediaType, Boolean> readAsText =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The parser Tika's auto-detecting parser would choose for {@code type} or its nearest supertype below plain text
     * (for a composite, the leaf it holds for the type); null when only plain text's parser reads it.
     */
    private org.apache.tika.parser.Parser ownParser(MediaType type) {
        ParseContext context = new ParseContext();
        for (MediaType t = type; t != null && !t.equals(MediaType.TEXT_PLAIN); t = registry.getSupertype(t)) {
            org.apache.tika.parser.Parser p = parser.getParsers(context).get(t);
            while (p instanceof org.apache.tika.parser.CompositeParser composite) {
                org.apache.tika.parser.Parser leaf =
                        composite.getParsers(context).get(t);
                if (leaf == null || leaf == p) {
                    break;
                }
                p = leaf;
            }
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    /** What kinds of content ingestion reads here: {@code text} always, {@code image} with OCR, {@code audio} with ASR. */
    public List<String> modalities() {
        List<String> out = new java.util.ArrayList<>(List.of("text"));
        if (media != null && media.ocrEnabled()) {
            out.add("image");
        }
        if (media != null && media.acceptsAudio("audio/wav")) {
            out.add("audio");
        }
        return out;
    }

    /** A human list of what {@link #supports} accepts, for 415 messages. */
    public String supportedDescription() {
        String base =
                "PDF, Word, PowerPoint, Excel, OpenDocument, RTF, EPUB, HTML, Markdown, plain text (also source code, JSON, "
                        + "logs), captions (WebVTT, SubRip), Jupyter notebooks and e-mail (.eml, .emlx, .msg)";
        if (media != null && media.ocrEnabled()) {
            base += "; images (PNG, JPEG, TIFF, BMP, GIF, WebP)";
        }
        if (media != null && media.acceptsAudio("audio/wav")) {
            base += "; audio (WAV, FLAC, MP3, OGG, M4A) and video (MP4, MOV, MKV, WebM) by its sound or subtitles";
        }
        return base;
    }

    /** Extracts the text of each page; see {@link #parse(Path, String, String)}. */
    public ParsedDocument parse(Path file, String mediaType) throws IOException {
        return parse(file, mediaType, null);
    }

    /**
     * Extracts the text of each page.
     *
     * @throws IngestException.BadFile when the file cannot be read as its type, is encrypted, or has no text
     */
    public ParsedDocument parse(Path file, String mediaType, String filename) throws IOException {
        return parse(file, mediaType, filename, 1);
    }

    /** {@link #parse(Path, String, String)} of a file {@code depth} deep: 1 uploaded, 2 attached to it... */
    private ParsedDocument parse(Path file, String mediaType, String filename, int depth) throws IOException {
        if (MailMessages.TYPES.contains(mediaType)) {
            return parseMessage(file, mediaType, depth);
        }
        if (mediaType.equals(Notebooks.TYPE)) {
            return Notebooks.parse(file, limits.maxTextChars());
        }
        if (Captions.TYPES.contains(mediaType)) {
            ParsedDocument captions = Captions.parse(file, limits.maxTextChars());
            if (captions != null) {
                return captions;
            }
            // No cue: a file named .vtt or .srt that is other text, read as text.
        }
        if (media != null && media.acceptsImage(mediaType)) {
            return parseImage(file, mediaType, filename);
        }
        if (media != null && media.acceptsAudio(mediaType)) {
            return new ParsedDocument(
                    List.of(new ParsedDocument.Page(1, "")), false, ParsedDocument.Kind.AUDIO, List.of(), null);
        }
        boolean pdf = mediaType.equals("application/pdf");
        if (pdf && !repairDamagedPdfs) {
            var problem = PdfIntegrity.problem(file);
            if (problem.isPresent()) {
                int scanned = media != null && media.recoversDamagedScans() ? media.scannedPageCount(file) : 0;
                if (scanned > limits.maxPages()) {
                    throw new IngestException.BadFile(pagesMessage(scanned));
                }
                if (scanned > 0) {
                    // A damaged scan: what is visible on its page images is read by OCR; its recovered text layer is
                    // never trusted.
                    List<ParsedDocument.Page> pages = new ArrayList<>();
                    List<Integer> all = new ArrayList<>();
                    for (int i = 1; i <= scanned; i++) {
                        pages.add(new ParsedDocument.Page(i, ""));
                        all.add(i);
                    }
                    return new ParsedDocument(
                            pages,
                            true,
                            ParsedDocument.Kind.PDF,
                            all,
                            "recovered a damaged scanned PDF (" + problem.get()
                                    + ") by OCR of its page images; its text layer was not used");
                }
                throw new IngestException.BadFile(
                        problem.get() + "; set omnirag.ingest.repair-damaged-pdfs=true to index what can be recovered");
            }
        }
        checkZipBomb(file);
        boolean webPage = HtmlLandmarks.isWebPage(mediaType);
        PageHandler handler = new PageHandler(
                limits,
                SPREADSHEETS.contains(mediaType),
                webPage || mediaType.equals(EpubBooks.TYPE),
                mediaType.startsWith("application/vnd.oasis.opendocument."));
        Metadata metadata = new Metadata();
        metadata.set(Metadata.CONTENT_TYPE, mediaType);
        metadata.set(DETECTED_TYPE, mediaType);
        boolean plain = plainText(mediaType);
        ParseContext context = parseContext();
        if (plain && StrictUtf8.matches(file)) {
            // Well-formed UTF-8 is read as such: Tika's charset detectors guess from a prefix, at a cost per file.
            context.set(EncodingDetector.class, (stream, ignored) -> StandardCharsets.UTF_8);
        }
        OfficePictures pictures = media != null && media.readsPictures() && OfficePictures.TYPES.contains(mediaType)
                ? new OfficePictures(context, media.maxPicturesPerDocument(), MAX_PICTURE_BYTES)
                : null;
        if (pictures != null) {
            // Embedded documents other than pictures are still parsed, by this parser (with its limits) and its
            // detector, as Tika sets up when no extractor is given.
            context.set(org.apache.tika.parser.Parser.class, parser);
            context.set(org.apache.tika.detect.Detector.class, parser.getDetector());
            context.set(org.apache.tika.extractor.EmbeddedDocumentExtractor.class, pictures);
        }
        EpubBooks.Book book = mediaType.equals(EpubBooks.TYPE) ? EpubBooks.read(file) : null;
        if (webPage || book != null) {
            context.set(org.apache.tika.parser.html.HtmlMapper.class, HtmlLandmarks.MAPPER);
        }
        try {
            if (book != null) {
                // A book's sections are its pages; a file without a readable package is Tika's, one text.
                if (book.title() != null) {
                    metadata.set(TikaCoreProperties.TITLE, book.title());
                }
                EpubBooks.write(file, book, handler, context, 2 * limits.maxTextChars());
            } else {
                // A Word file whose lists restart is read from a copy that numbers them as Word does.
                Path source = mediaType.equals(OfficeSuperscripts.WORD) ? WordNumbering.restarted(file) : file;
                try (InputStream in = org.apache.tika.io.TikaInputStream.get(source)) {
                    (plain ? plainText : parser)
                            .parse(
                                    in,
                                    webPage ? new HtmlLandmarks(handler, limits.maxTextChars()) : handler,
                                    metadata,
                                    context);
                } finally {
                    if (!source.equals(file)) {
                        java.nio.file.Files.deleteIfExists(source);
                    }
                }
            }
        } catch (IngestException.BadFile e) {
            throw e;
        } catch (Exception | StackOverflowError e) {
            if (handler.exceeded != null) {
                throw new IngestException.BadFile(handler.exceeded);
            }
            throw badFile(e, mediaType);
        }
        ParsedDocument doc = handler.result();
        if (mediaType.equals(OfficeSuperscripts.SLIDES)) {
            doc = numbered(doc, file, handler.anchors);
        }
        if (mediaType.equals(OfficeSuperscripts.WORD)
                || mediaType.equals(OfficeSuperscripts.SLIDES)
                || mediaType.equals(OfficeSuperscripts.OPEN_DOCUMENT)) {
            doc = raised(doc, file, mediaType);
        }
        boolean encrypted = "true".equals(metadata.get("pdf:encrypted"));
        if (pdf && media != null && media.ocrEnabled() && !(encrypted && pageCharacters(metadata) == 0)) {
            List<Integer> scans = new ArrayList<>();
            List<ParsedDocument.Page> pages = new ArrayList<>();
            boolean noPageText = pageCharacters(metadata) == 0;
            int broken = 0;
            String why = null;
            int firstBroken = 0;
            for (ParsedDocument.Page page : doc.pages()) {
                TextLayer.Verdict layer = TextLayer.judge(page.text());
                if (!layer.usable()) {
                    // Broken fonts: the text layer is not the page's words. OCR reads the rendered page instead.
                    scans.add(page.number());
                    pages.add(new ParsedDocument.Page(page.number(), ""));
                    broken++;
                    if (why == null) {
                        why = layer.reason();
                        firstBroken = page.number();
                    }
                } else if (media.needsOcr(page.text())) {
                    scans.add(page.number());
                    // Without any page text (Tika's pdf:charsPerPage), what the handler saw is form fields and
                    // metadata, not content: only what OCR reads on the rendered page counts.
                    pages.add(noPageText ? new ParsedDocument.Page(page.number(), "") : page);
                } else {
                    pages.add(page);
                }
            }
            if (!scans.isEmpty()) {
                String note = broken == 0
                        ? null
                        : broken + " of " + doc.pages().size() + " pages read by OCR because "
                                + "their text layer is unusable; page " + firstBroken + ": " + why;
                return new ParsedDocument(
                                layout(file, pages, Set.copyOf(scans), !noPageText),
                                true,
                                ParsedDocument.Kind.PDF,
                                scans,
                                note)
                        .withTitle(metadata.get(TikaCoreProperties.TITLE));
            }
            return new ParsedDocument(
                            layout(file, doc.pages(), Set.of(), true),
                            doc.paged(),
                            ParsedDocument.Kind.PDF,
                            List.of(),
                            null)
                    .withTitle(metadata.get(TikaCoreProperties.TITLE));
        }
        if (pdf && pageCharacters(metadata) == 0) {
            // Form fields and metadata alone are not content worth indexing (fuzzed files often have only those).
            throw new IngestException.BadFile(
                    "true".equals(metadata.get("pdf:encrypted"))
                            ? "the PDF is encrypted and no text could be extracted from its pages"
                            : "no text could be extracted from the PDF's pages (an image-only or scanned file needs OCR, "
                                    + "which is disabled: omnirag.ocr.enabled=false)");
        }
        List<ParsedDocument.Picture> placed = pictures == null ? List.of() : pictures.placed(handler.anchors);
        if (!doc.hasText() && placed.isEmpty()) {
            throw new IngestException.BadFile("no text could be extracted from the file");
        }
        if (webPage && doc.pages().size() == 1) {
            // A web page's title names it, as the first heading would; not every page has a heading.
            ParsedDocument.Page page = doc.pages().getFirst();
            String text = HtmlLandmarks.withTitle(page.text(), metadata.get(TikaCoreProperties.TITLE));
            return new ParsedDocument(List.of(new ParsedDocument.Page(page.number(), text)), doc.paged());
        }
        if (pdf) {
            return new ParsedDocument(layout(file, doc.pages(), Set.of(), true), doc.paged())
                    .withTitle(metadata.get(TikaCoreProperties.TITLE));
        }
        if (mediaType.equals("text/markdown") || mediaType.equals("text/x-markdown")) {
            // Markdown's tables are pipes in plain text: written as every other table, header with each group.
            List<ParsedDocument.Page> pages = new ArrayList<>();
            for (ParsedDocument.Page page : doc.pages()) {
                pages.add(new ParsedDocument.Page(
                        page.number(), TableText.fromMarkdown(page.text(), PageHandler.TABLE_GROUP_CHARS)));
            }
            return new ParsedDocument(pages, doc.paged());
        }
        // An office file's title property, for the chunks' context when its first page shows it (ChunkPlanner).
        String title = metadata.get(TikaCoreProperties.TITLE);
        if (book != null && book.note() != null) {
            return new ParsedDocument(doc.pages(), doc.paged(), doc.kind(), List.of(), book.note()).withTitle(title);
        }
        if (!placed.isEmpty()) {
            return new ParsedDocument(
                    doc.pages(), doc.paged(), doc.kind(), doc.ocrPages(), doc.note(), doc.description(), placed, title);
        }
        return doc.withTitle(title);
    }

    /**
     * A Word document's or a deck's superscript digits raised ({@link OfficeSuperscripts}): Tika writes them as plain
     * digits glued to their word. Offsets stay (pictures' anchors point into the text).
     */
    private static ParsedDocument raised(ParsedDocument doc, Path file, String mediaType) {
        // A text's runs are looked for on every page it has (one); a deck's on their slide.
        boolean deck = mediaType.equals(OfficeSuperscripts.SLIDES);
        List<List<Superscripts.Run>> runs = switch (mediaType) {
            case OfficeSuperscripts.WORD -> List.of(OfficeSuperscripts.word(file));
            case OfficeSuperscripts.OPEN_DOCUMENT -> List.of(OfficeSuperscripts.openDocument(file));
            default -> OfficeSuperscripts.slides(file);
        };
        if (runs.stream().allMatch(List::isEmpty)) {
            return doc;
        }
        List<ParsedDocument.Page> pages = new ArrayList<>(doc.pages().size());
        for (ParsedDocument.Page p : doc.pages()) {
            List<Superscripts.Run> page =
                    !deck ? runs.getFirst() : p.number() <= runs.size() ? runs.get(p.number() - 1) : List.of();
            pages.add(new ParsedDocument.Page(
                    p.number(),
                    Superscripts.apply(p.text(), page, true),
                    p.spans(),
                    p.image(),
                    p.regions(),
                    p.sheet()));
        }
        return new ParsedDocument(pages, doc.paged());
    }

    /**
     * A deck's numbered paragraphs with their numbers ({@link SlideNumbering}); the pictures' anchors on each slide move
     * with the text.
     */
    private static ParsedDocument numbered(ParsedDocument doc, Path file, Map<String, int[]> anchors) {
        List<List<SlideNumbering.Numbered>> slides = SlideNumbering.of(file);
        if (slides.isEmpty()) {
            return doc;
        }
        List<ParsedDocument.Page> pages = new ArrayList<>(doc.pages().size());
        for (ParsedDocument.Page p : doc.pages()) {
            int index = p.number() - 1;
            if (index >= slides.size() || slides.get(index).isEmpty()) {
                pages.add(p);
                continue;
            }
            SlideNumbering.Applied applied = SlideNumbering.apply(p.text(), slides.get(index));
            for (int[] anchor : anchors.values()) {
                if (anchor[0] == index) {
                    anchor[1] = applied.shifted(anchor[1]);
                }
            }
            pages.add(
                    new ParsedDocument.Page(p.number(), applied.text(), p.spans(), p.image(), p.regions(), p.sheet()));
        }
        return new ParsedDocument(
                pages,
                doc.paged(),
                doc.kind(),
                doc.ocrPages(),
                doc.note(),
                doc.description(),
                doc.pictures(),
                doc.title());
    }

    /** An e-mail message with its attachments ({@link MailMessages}). */
    private ParsedDocument parseMessage(Path file, String mediaType, int depth) throws IOException {
        PageHandler body = new PageHandler(limits, false);
        Metadata metadata = new Metadata();
        // Tika's mail parser for both kinds of message (MailMessages hands it an Apple Mail .emlx's message only), its
        // Outlook parser for Outlook's.
        String tikaType = mediaType.equals(MailMessages.OUTLOOK) ? MailMessages.OUTLOOK : "message/rfc822";
        metadata.set(Metadata.CONTENT_TYPE, tikaType);
        metadata.set(DETECTED_TYPE, tikaType);
        MailMessages.AttachmentReader attachments = new MailMessages.AttachmentReader() {
            @Override
            public String detect(Path part, String name) throws IOException {
                return DocumentParser.this.detect(part, name);
            }

            @Override
            public boolean supports(String type) {
                return DocumentParser.this.supports(type);
            }

            @Override
            public boolean readsPicture(String type) {
                return media != null && media.readsPictures() && media.acceptsImage(type);
            }

            @Override
            public ParsedDocument parse(Path part, String type, String name, int level) throws IOException {
                return DocumentParser.this.parse(part, type, name, level);
            }

            @Override
            public List<byte[]> scannedPages(Path pdf, List<Integer> pages) {
                return media == null || !media.readsPictures() ? List.of() : media.scannedPagePictures(pdf, pages);
            }
        };
        ParsedDocument doc;
        try {
            doc = new MailMessages(parser, limits, media == null ? 0 : media.maxPicturesPerDocument())
                    .parse(file, mediaType, metadata, parseContext(), body, depth, attachments);
        } catch (IngestException.BadFile e) {
            throw e;
        } catch (Exception | StackOverflowError e) {
            if (body.exceeded != null) {
                throw new IngestException.BadFile(body.exceeded);
            }
            throw badFile(e, mediaType);
        }
        if (!doc.hasText() && doc.pictures().isEmpty()) {
            throw new IngestException.BadFile("no text could be extracted from the message");
        }
        return doc;
    }

    /**
     * An image: one page per frame, each to be OCR'd. Until then (and when OCR finds no text) a page's text is the
     * image's stand-in: its file name and any description embedded in it (EXIF, XMP, IPTC, PNG text), read without
     * decoding pixels; the description stays beside the OCR text.
     */
    private ParsedDocument parseImage(Path file, String mediaType, String filename) {
        int frames;
        try {
            frames = media.decoder().frameCount(file);
            int[] size = media.decoder().size(file, 0);
            if ((long) size[0] * size[1] > media.decoder().maxPixels()) {
                throw new IngestException.BadFile("the image is " + size[0] + "×" + size[1] + " pixels; at most "
                        + media.decoder().maxPixels() + " pixels are decoded (omnirag.image.max-pixels)");
            }
        } catch (dev.omnirag.media.MediaException e) {
            throw new IngestException.BadFile(e.getMessage());
        }
        StringBuilder standIn = new StringBuilder(filename == null ? "image" : filename);
        String description = EmbeddedMetadata.imageDescription(file);
        if (!description.isBlank()) {
            standIn.append('\n').append(description);
        }
        List<ParsedDocument.Page> pages = new ArrayList<>();
        List<Integer> all = new ArrayList<>();
        for (int i = 1; i <= frames; i++) {
            pages.add(new ParsedDocument.Page(i, standIn.toString(), List.of(), true));
            all.add(i);
        }
        return new ParsedDocument(pages, true, ParsedDocument.Kind.IMAGE, all, null, description);
    }

    /**
     * The PDF's text pages laid out: raised digits written as superscripts ({@link Superscripts}), a page of
     * interleaved columns read column by column ({@link PdfColumns}), running
     * headers and footers removed ({@link RunningLines}), the blank lines of wide line spacing taken out ({@link
     * LineSpacing}), footnotes after the text ({@link Footnotes}), sentences cut by a page break whole on their first
     * page ({@link PageBreaks}), tables written as rows under their header ({@link PdfTables}).
     * One pass of PDFBox over each text page gives the lines' positions and type sizes for columns, tables, raised
     * digits and footnotes; pages read by OCR
     * ({@code scans}) are left to it. With {@code formFields}, a form's filled fields follow the text of their pages
     * ({@link PdfForms}). A page whose positions cannot be read keeps its text, and the document never fails for it.
     */
    private List<ParsedDocument.Page> layout(
            Path file, List<ParsedDocument.Page> pages, Set<Integer> scans, boolean formFields) {
        // Tables are found on each page's lines right away; only they (not the lines) wait for the running lines.
        Map<Integer, List<PdfTables.Table>> tables = new HashMap<>();
        Map<Integer, Set<String>> smallLines = new HashMap<>();
        List<ParsedDocument.Page> ordered = new ArrayList<>(pages);
        Map<Integer, List<String>> fields = Map.of();
        try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(file.toFile())) {
            if (formFields) {
                try {
                    fields = PdfForms.filledFields(doc);
                } catch (IOException | RuntimeException e) {
                    // a form that cannot be read adds nothing; the pages keep their text
                }
            }
            for (int i = 0; i < ordered.size(); i++) {
                ParsedDocument.Page page = ordered.get(i);
                if (scans.contains(page.number())
                        || page.number() > doc.getNumberOfPages()
                        || page.text().isBlank()) {
                    continue;
                }
                try {
                    var crop = doc.getPage(page.number() - 1).getCropBox();
                    PdfTables.LineCollector pass = PdfTables.collector(doc, page.number(), false);
                    List<PdfTables.Line> found = pass.lines;
                    List<PdfTables.Table> pageTables = PdfTables.tables(found, crop);
                    tables.put(page.number(), pageTables);
                    // A table's rows in a small type are no footnotes, whatever number they start with.
                    Set<String> rows = new java.util.HashSet<>();
                    pageTables.forEach(t -> rows.addAll(t.sourceLines()));
                    smallLines.put(
                            page.number(),
                            Footnotes.smallLines(
                                    found.stream()
                                            .map(l -> String.join(" ", l.cells()))
                                            .toList(),
                                    pass.sizes,
                                    rows));
                    List<PdfColumns.Piece> order = PdfColumns.order(found, crop.getWidth());
                    if (PdfColumns.reordered(order)) {
                        ordered.set(i, new ParsedDocument.Page(page.number(), PdfColumns.text(order)));
                    } else if (!pass.superscripts.isEmpty()
                            && page.spans().isEmpty()
                            && page.regions().isEmpty()) {
                        // The cells show raised digits already; the text layer's words get them too.
                        ordered.set(
                                i,
                                new ParsedDocument.Page(
                                        page.number(), Superscripts.apply(page.text(), pass.superscripts, false)));
                    }
                } catch (IOException | RuntimeException e) {
                    // this page keeps the text layer's order and has no tables
                }
            }
        } catch (IOException | RuntimeException e) {
            return flowed(pages, scans, Map.of());
        }
        List<ParsedDocument.Page> out = new ArrayList<>(ordered.size());
        for (ParsedDocument.Page page : flowed(ordered, scans, smallLines)) {
            List<PdfTables.Table> found = tables.getOrDefault(page.number(), List.of());
            try {
                out.add(found.isEmpty() ? page : PdfTables.apply(page, found, PageHandler.TABLE_GROUP_CHARS));
            } catch (RuntimeException e) {
                out.add(page);
            }
        }
        return withFormFields(out, fields);
    }

    /**
     * The pages' running headers and footers removed ({@link RunningLines}), the blank lines of wide line spacing taken
     * out ({@link LineSpacing}), footnotes moved after the text ({@link Footnotes}, by the lines in a small type of
     * each page: {@code smallLines}) and sentences cut by a page break mended ({@link PageBreaks}); OCR'd pages
     * ({@code scans}) keep their own lines.
     */
    private static List<ParsedDocument.Page> flowed(
            List<ParsedDocument.Page> pages, Set<Integer> scans, Map<Integer, Set<String>> smallLines) {
        List<Footnotes.Split> split = RunningLines.strip(pages, scans).stream()
                .map(page -> scans.contains(page.number())
                        ? new Footnotes.Split(page, List.of())
                        : Footnotes.split(LineSpacing.join(page), smallLines.getOrDefault(page.number(), Set.of())))
                .toList();
        // A sentence runs on from a page's text to the next page's, over the footnotes between them.
        List<ParsedDocument.Page> mended =
                PageBreaks.mend(split.stream().map(Footnotes.Split::body).toList(), scans);
        List<ParsedDocument.Page> out = new ArrayList<>(mended.size());
        for (int i = 0; i < mended.size(); i++) {
            out.add(new Footnotes.Split(mended.get(i), split.get(i).notes()).joined());
        }
        return out;
    }

    /**
     * Each page's filled form fields ({@link PdfForms}) as lines after its text, added once the layout is done: a page
     * read column by column is rebuilt from its text positions, which fields have none of.
     */
    private static List<ParsedDocument.Page> withFormFields(
            List<ParsedDocument.Page> pages, Map<Integer, List<String>> fields) {
        if (fields.isEmpty()) {
            return pages;
        }
        List<ParsedDocument.Page> out = new ArrayList<>(pages.size());
        for (ParsedDocument.Page page : pages) {
            List<String> lines = fields.get(page.number());
            if (lines == null) {
                out.add(page);
                continue;
            }
            String text = page.text();
            String separator = text.isBlank() ? "" : text.endsWith("\n") ? "\n" : "\n\n";
            out.add(new ParsedDocument.Page(
                    page.number(),
                    text + separator + String.join("\n", lines) + "\n",
                    page.spans(),
                    page.image(),
                    page.regions(),
                    page.sheet()));
        }
        return out;
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

    /**
     * For zip containers (DOCX, XLSX, PPTX, ODF, EPUB): inflates every entry once through Apache POI's guard, which
     * stops as soon as an entry inflates more than {@code maxCompressionRatio} times. Tika's parsers read some of
     * these formats without that guard (POI's is off under Tika's OOXML parser, ODF never had it), so it runs first.
     */
    private void checkZipBomb(Path file) throws IOException {
        byte[] magic = new byte[4];
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            if (in.readNBytes(magic, 0, 4) < 4
                    || magic[0] != 'P'
                    || magic[1] != 'K'
                    || magic[2] != 3
                    || magic[3] != 4) {
                return;
            }
        }
        try (org.apache.poi.openxml4j.util.ZipSecureFile zip =
                new org.apache.poi.openxml4j.util.ZipSecureFile(file.toFile())) {
            var entries = zip.getEntries();
            while (entries.hasMoreElements()) {
                var entry = entries.nextElement();
                try (InputStream in = zip.getInputStream(entry)) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
            }
        } catch (IOException | RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t.getMessage() != null && t.getMessage().startsWith("Zip bomb detected")) {
                    throw new IngestException.BadFile("the file looks like a zip bomb: a part of it inflates more than "
                            + limits.maxCompressionRatio() + " times (omnirag.ingest.max-compression-ratio)");
                }
            }
            // Other damage is for the format's parser to report.
        }
    }

    /**
     * Word documents are streamed (SAX), not loaded whole, so the text limit bounds their memory too; a PDF's outline and
     * form are not page text.
     */
    private static ParseContext parseContext() {
        ParseContext context = new ParseContext();
        org.apache.tika.parser.microsoft.OfficeParserConfig office =
                new org.apache.tika.parser.microsoft.OfficeParserConfig();
        office.setUseSAXDocxExtractor(true);
        // A deck's master (its logo text, "Confidential") would be text of every slide, noise in every search.
        office.setIncludeSlideMasterContent(false);
        context.set(org.apache.tika.parser.microsoft.OfficeParserConfig.class, office);
        // A PDF's outline (bookmarks) would come after its last page: its headings, which the pages already hold, cited
        // as the last page (a book's hundreds of entries became chunks of the back cover). Its form's fields would come
        // there too, blank ones included: the layout pass puts the filled ones on their pages (PdfForms).
        org.apache.tika.parser.pdf.PDFParserConfig pdf = new org.apache.tika.parser.pdf.PDFParserConfig();
        pdf.setExtractBookmarksText(false);
        pdf.setExtractAcroFormContent(false);
        context.set(org.apache.tika.parser.pdf.PDFParserConfig.class, pdf);
        return context;
    }

    private String pagesMessage(int pages) {
        return "the file has " + pages + " pages; at most " + limits.maxPages()
                + " are read (omnirag.ingest.max-pages)";
    }

    /** A parse failure as the file's fault, with the parser's reason; a zip or nesting bomb says so. */
    private IngestException.BadFile badFile(Throwable e, String mediaType) {
        if (e instanceof EncryptedDocumentException) {
            return new IngestException.BadFile(
                    "the file is encrypted (password protected); upload it without the password");
        }
        if (e instanceof StackOverflowError) {
            return new IngestException.BadFile(
                    "cannot read the file as " + mediaType + ": its structure is nested too deeply");
        }
        if (e instanceof IOException io
                && !(e instanceof org.apache.tika.exception.TikaException)
                && io.getClass().getName().startsWith("java.nio.file")) {
            // The stored file itself cannot be read: the server's problem, not the file's.
            throw new java.io.UncheckedIOException(io);
        }
        String message = rootMessage(e);
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            if (m.startsWith("Zip bomb detected")) {
                return new IngestException.BadFile("the file looks like a zip bomb: a part of it inflates more than "
                        + limits.maxCompressionRatio() + " times (omnirag.ingest.max-compression-ratio)");
            }
            if (m.startsWith("Suspected zip bomb")) {
                return new IngestException.BadFile("the file looks like a zip or nesting bomb (" + m
                        + "; omnirag.ingest.max-compression-ratio=" + limits.maxCompressionRatio() + ")");
            }
        }
        return new IngestException.BadFile("cannot read the file as " + mediaType + ": " + message);
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
}
