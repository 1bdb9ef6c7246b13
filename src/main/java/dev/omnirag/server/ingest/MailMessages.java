package dev.omnirag.server.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.metadata.Message;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.xml.sax.ContentHandler;

/**
 * Reads an e-mail message ({@code .eml}, RFC 822 with MIME; Apple Mail's {@code .emlx}; Outlook's {@code .msg}) as one
 * document. Its text is the subject as the first
 * line, then who wrote it, to whom and when ({@code From:}, {@code To:}, {@code Cc:}, {@code Date:} lines: a message
 * is searched by its people and its date as much as by its words), then the body as Tika reads it (of a plain and an
 * HTML alternative, the HTML), quoted replies included: a message saved on its own often holds the only copy of the
 * thread. Then each attachment, under a line {@code Attachment: name}, read by the {@link DocumentParser} as if it had
 * been uploaded alone (a PDF with its columns and tables, a Word file with its pictures), a picture (attached or
 * pasted in the body) by OCR where its line stands, a message attached to the message the same way as this one, at
 * most {@value #MAX_DEPTH} deep. An attachment that cannot be read is named in the note and never fails the message;
 * at most {@value #MAX_ATTACHMENTS} are read, and all of the text together stays within the parser's text limit.
 *
 * <p>Attachments wait in a temporary directory of their own for the length of one parse. Thread safe (each parse
 * has its own state).
 */
final class MailMessages {

    /** An Outlook message ({@code .msg}, as Outlook saves a mail dragged out of it), read by Tika's Outlook parser. */
    static final String OUTLOOK = "application/vnd.ms-outlook";

    /**
     * The media types read here: a message, one as Apple Mail keeps it (a byte count, the message, a plist), and one
     * as Outlook saves it.
     */
    static final Set<String> TYPES = Set.of("message/rfc822", "message/x-emlx", OUTLOOK);

    /** How deep messages attached to messages are read (a forward of a forward of a forward). */
    static final int MAX_DEPTH = 3;

    /** The most attachments of one message read. */
    static final int MAX_ATTACHMENTS = 100;

    /** The largest picture kept for OCR. */
    private static final int MAX_PICTURE_BYTES = 16 * 1024 * 1024;

    /** The most bytes of pictures one message keeps for OCR. */
    private static final long MAX_PICTURES_BYTES = 4L * MAX_PICTURE_BYTES;

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /** How an attachment is read: {@link DocumentParser}'s parse, one level deeper. */
    interface AttachmentReader {
        /** The media type of an attachment from its bytes and name. */
        String detect(Path file, String name) throws IOException;

        /** Whether the type is read at all (and how: a picture by OCR, audio not here). */
        boolean supports(String mediaType);

        /** True when pictures are read by OCR ({@link MediaProcessor#readsPictures()}). */
        boolean readsPicture(String mediaType);

        /** The attachment's text, parsed as a file of its own at this nesting depth. */
        ParsedDocument parse(Path file, String mediaType, String name, int depth) throws IOException;

        /** Scanned pages of an attached PDF as pictures for OCR, PNG each ({@link MediaProcessor#scannedPagePictures}). */
        List<byte[]> scannedPages(Path pdf, List<Integer> pages);
    }

    private final Parser parser;
    private final DocumentParser.Limits limits;
    private final int maxPictures;

    /**
     * @param parser Tika's parser for the message itself (its detector trusts the type given in the metadata)
     * @param maxPictures the most pictures kept for OCR
     */
    MailMessages(Parser parser, DocumentParser.Limits limits, int maxPictures) {
        this.parser = parser;
        this.limits = limits;
        this.maxPictures = maxPictures;
    }

    /** One attachment kept for reading after the message's parse. */
    private record Attachment(String name, Path path) {}

    /** Keeps every part Tika hands over as embedded (attachments, pictures of the body) instead of parsing it. */
    private static final class Keeper implements EmbeddedDocumentExtractor {
        private final Path dir;
        private final List<Attachment> kept = new ArrayList<>();
        private int dropped;

        Keeper(Path dir) {
            this.dir = dir;
        }

        @Override
        public boolean shouldParseEmbedded(Metadata metadata) {
            return true;
        }

        @Override
        public void parseEmbedded(InputStream stream, ContentHandler handler, Metadata metadata, boolean outputHtml)
                throws IOException {
            if (kept.size() >= MAX_ATTACHMENTS) {
                dropped++;
                return;
            }
            String name = metadata.get(TikaCoreProperties.RESOURCE_NAME_KEY);
            if (name == null || name.isBlank()) {
                name = "attachment " + (kept.size() + 1);
            }
            // Its own file whatever its name says: a name never chooses where bytes are written.
            Path file = dir.resolve("part-" + kept.size());
            org.apache.tika.io.TikaInputStream tis = org.apache.tika.io.TikaInputStream.cast(stream);
            try (OutputStream out = Files.newOutputStream(file)) {
                if (tis != null
                        && tis.getOpenContainer() instanceof org.apache.poi.poifs.filesystem.DirectoryEntry item) {
                    // An item attached to an Outlook message (a forwarded message, an embedded document) comes as
                    // its directory of the message's OLE2 file, not as bytes: written out as a file of its own. One
                    // too large or damaged stays empty, and is named in the note as not read.
                    if (size(item) <= MAX_ITEM_BYTES) {
                        try (var copy = new org.apache.poi.poifs.filesystem.POIFSFileSystem()) {
                            org.apache.poi.poifs.filesystem.EntryUtils.copyNodes(item, copy.getRoot());
                            asTopLevel(copy.getRoot());
                            copy.writeFilesystem(out);
                        } catch (IOException | RuntimeException e) {
                            // the part stays empty
                        }
                    }
                } else {
                    stream.transferTo(out);
                }
            }
            // One line of the text: a name's control characters (a line break) would start another.
            kept.add(new Attachment(name.replaceAll("\\p{Cntrl}", " ").strip(), file));
        }
    }

    /**
     * The message's text with its attachments'.
     *
     * @param mediaType one of {@link #TYPES}
     * @param metadata the message's metadata with its media type set (filled in by the parse)
     * @param context the parse context to use; its embedded document extractor is replaced
     * @param body collects the body's text
     * @param depth how deep this message is (1: the uploaded file)
     * @throws Exception what Tika throws for a message it cannot read, for the caller to explain
     */
    ParsedDocument parse(
            Path file,
            String mediaType,
            Metadata metadata,
            ParseContext context,
            PageHandler body,
            int depth,
            AttachmentReader attachments)
            throws Exception {
        Path dir = Files.createTempDirectory("omnirag-mail");
        try {
            Keeper keeper = new Keeper(dir);
            context.set(EmbeddedDocumentExtractor.class, keeper);
            // The body's HTML or text is read by Tika's own leaf parsers, found through this one.
            context.set(Parser.class, parser);
            try (InputStream in = org.apache.tika.io.TikaInputStream.get(open(file, mediaType))) {
                parser.parse(in, mediaType.equals(OUTLOOK) ? new WithoutHeading(body) : body, metadata, context);
            }
            StringBuilder text = new StringBuilder(headers(metadata));
            String bodyText = body.result().pages().stream()
                    .map(ParsedDocument.Page::text)
                    .map(String::strip)
                    .filter(t -> !t.isEmpty())
                    .reduce((a, b) -> a + "\n\n" + b)
                    .orElse("")
                    // An HTML body's paragraphs inside paragraphs: one blank line between them is enough.
                    .replaceAll("\n{3,}", "\n\n");
            if (!bodyText.isEmpty()) {
                text.append('\n').append(bodyText).append('\n');
            }
            List<String> notes = new ArrayList<>();
            List<ParsedDocument.Picture> pictures = new ArrayList<>();
            // Each attachment is chunked apart from the message and from the others (a region of the page each), so
            // no chunk mixes a message's last lines with an attachment's first.
            List<ParsedDocument.Region> regions = new ArrayList<>();
            for (Attachment a : keeper.kept) {
                if (text.length() >= limits.maxTextChars()) {
                    notes.add("attachments from " + a.name() + " on not read: the text limit was reached "
                            + "(omnirag.ingest.max-text-chars)");
                    break;
                }
                text.append('\n');
                int start = text.length();
                text.append("Attachment: ").append(a.name()).append('\n');
                read(a, text, pictures, notes, depth, attachments);
                regions.add(new ParsedDocument.Region(start, text.length(), null));
            }
            if (keeper.dropped > 0) {
                notes.add(keeper.dropped + " attachments past the first " + MAX_ATTACHMENTS + " not read");
            }
            String all = text.length() > limits.maxTextChars()
                    ? text.substring(0, (int) Math.min(Integer.MAX_VALUE, limits.maxTextChars()))
                    : text.toString();
            List<ParsedDocument.Picture> placed =
                    pictures.stream().filter(p -> p.offset() <= all.length()).toList();
            List<ParsedDocument.Region> within = regions.stream()
                    .filter(r -> r.charStart() < all.length())
                    .map(r -> new ParsedDocument.Region(r.charStart(), Math.min(r.charEnd(), all.length()), null))
                    .toList();
            return new ParsedDocument(
                    List.of(new ParsedDocument.Page(1, all, List.of(), false, within)),
                    false,
                    ParsedDocument.Kind.TEXT,
                    List.of(),
                    notes.isEmpty() ? null : String.join("; ", notes),
                    "",
                    placed);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                // Temporary files: the system's cleaning removes what is left.
            }
        }
    }

    /** The largest item attached to an Outlook message that is copied out to be read. */
    private static final long MAX_ITEM_BYTES = 64L * 1024 * 1024;

    /** The bytes of the streams under {@code dir}. */
    private static long size(org.apache.poi.poifs.filesystem.DirectoryEntry dir) {
        long total = 0;
        for (var it = dir.getEntries(); it.hasNext() && total <= MAX_ITEM_BYTES; ) {
            var entry = it.next();
            if (entry instanceof org.apache.poi.poifs.filesystem.DocumentEntry doc) {
                total += doc.getSize();
            } else if (entry instanceof org.apache.poi.poifs.filesystem.DirectoryEntry sub) {
                total += size(sub);
            }
        }
        return total;
    }

    /** The property stream of an Outlook message. */
    private static final String PROPERTIES = "__properties_version1.0";

    /**
     * An attached Outlook message's property stream given the header of a message of its own: an attached message's
     * header is 24 bytes, a file's 32 (8 more, reserved), and the properties are read after it.
     */
    static void asTopLevel(org.apache.poi.poifs.filesystem.DirectoryEntry root) throws IOException {
        if (!root.hasEntry(PROPERTIES)
                || !(root.getEntry(PROPERTIES) instanceof org.apache.poi.poifs.filesystem.DocumentEntry entry)) {
            return;
        }
        byte[] props;
        try (InputStream in = new org.apache.poi.poifs.filesystem.DocumentInputStream(entry)) {
            props = in.readAllBytes();
        }
        if (props.length < 24 || props.length % 16 != 8) {
            return;
        }
        byte[] top = new byte[props.length + 8];
        System.arraycopy(props, 0, top, 0, 24);
        System.arraycopy(props, 24, top, 32, props.length - 24);
        entry.delete();
        root.createDocument(PROPERTIES, new java.io.ByteArrayInputStream(top));
    }

    /**
     * An Outlook message's body without the heading Tika's Outlook parser writes before it (the subject, then From, To
     * and Cc as a definition list): {@link #headers} writes those, once.
     */
    private static final class WithoutHeading extends org.apache.tika.sax.ContentHandlerDecorator {
        private int skipping;
        /** What is skipped next: the subject's {@code h1}, then the people's {@code dl}; null once the body began. */
        private String next = "h1";

        WithoutHeading(ContentHandler handler) {
            super(handler);
        }

        @Override
        public void startElement(String uri, String localName, String qName, org.xml.sax.Attributes atts)
                throws org.xml.sax.SAXException {
            String name = localName.isEmpty() ? qName : localName;
            if (skipping > 0) {
                skipping++;
                return;
            }
            if (name.equals(next) || next != null && next.equals("h1") && name.equals("dl")) {
                next = name.equals("h1") ? "dl" : null;
                skipping = 1;
                return;
            }
            if (!Set.of("html", "head", "body", "title", "meta").contains(name)) {
                // The body's own first element: an HTML body's heading is its text.
                next = null;
            }
            super.startElement(uri, localName, qName, atts);
        }

        @Override
        public void endElement(String uri, String localName, String qName) throws org.xml.sax.SAXException {
            if (skipping > 0) {
                skipping--;
                return;
            }
            super.endElement(uri, localName, qName);
        }

        @Override
        public void characters(char[] ch, int start, int length) throws org.xml.sax.SAXException {
            if (skipping == 0) {
                super.characters(ch, start, length);
            }
        }

        @Override
        public void ignorableWhitespace(char[] ch, int start, int length) throws org.xml.sax.SAXException {
            if (skipping == 0) {
                super.ignorableWhitespace(ch, start, length);
            }
        }
    }

    /**
     * The message's bytes: of Apple Mail's {@code .emlx}, those its first line counts, without that line and the
     * property list after the message.
     */
    private static InputStream open(Path file, String mediaType) throws IOException {
        InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file));
        if (!mediaType.equals("message/x-emlx")) {
            return in;
        }
        StringBuilder count = new StringBuilder();
        for (int b; (b = in.read()) >= 0 && b != '\n' && count.length() <= 20; ) {
            count.append((char) b);
        }
        try {
            return org.apache.commons.io.input.BoundedInputStream.builder()
                    .setInputStream(in)
                    .setMaxCount(Long.parseLong(count.toString().strip()))
                    .get();
        } catch (NumberFormatException e) {
            in.close();
            throw new IngestException.BadFile(
                    "not an Apple Mail message: its first line is not the message's length in bytes");
        }
    }

    /** Appends one attachment's text (or keeps it as a picture for OCR); what cannot be read goes to the notes. */
    private void read(
            Attachment a,
            StringBuilder text,
            List<ParsedDocument.Picture> pictures,
            List<String> notes,
            int depth,
            AttachmentReader reader)
            throws IOException {
        String type = reader.detect(a.path(), a.name());
        if (reader.readsPicture(type)) {
            if (Files.size(a.path()) <= MAX_PICTURE_BYTES) {
                keep(pictures, text.length(), Files.readAllBytes(a.path()));
            }
            return;
        }
        if (!reader.supports(type) || MediaProcessor.isAudio(type) || type.startsWith("image/")) {
            notes.add(a.name() + " (" + type + ") is not read");
            return;
        }
        if (TYPES.contains(type) && depth >= MAX_DEPTH) {
            notes.add(a.name() + " is not read: messages are read " + MAX_DEPTH + " deep");
            return;
        }
        ParsedDocument doc;
        try {
            doc = reader.parse(a.path(), type, a.name(), depth + 1);
        } catch (IngestException.BadFile e) {
            notes.add(a.name() + " is not read: " + e.getMessage());
            return;
        }
        int[] starts = new int[doc.pages().size()];
        for (int i = 0; i < doc.pages().size(); i++) {
            ParsedDocument.Page page = doc.pages().get(i);
            starts[i] = text.length();
            if (!page.text().isBlank()) {
                text.append(page.text().strip()).append('\n');
            }
        }
        if (doc.kind() == ParsedDocument.Kind.PDF && !doc.ocrPages().isEmpty()) {
            // Scanned pages: rendered now, while the attachment's file exists, and read by OCR where they stand.
            List<Integer> wanted = doc.ocrPages().stream()
                    .limit(Math.max(0, maxPictures - pictures.size()))
                    .toList();
            List<byte[]> images = reader.scannedPages(a.path(), wanted);
            int kept = 0;
            for (int i = 0; i < images.size() && i < wanted.size(); i++) {
                if (keep(pictures, starts[wanted.get(i) - 1], images.get(i))) {
                    kept++;
                }
            }
            if (kept < doc.ocrPages().size()) {
                notes.add((doc.ocrPages().size() - kept) + " scanned page(s) of " + a.name() + " not read by OCR "
                        + "(OCR off, or past the " + maxPictures + " pictures of a message that are read: "
                        + "omnirag.ocr.figures.max-per-document)");
            }
        }
        for (ParsedDocument.Picture p : doc.pictures()) {
            if (p.page() >= 1 && p.page() <= starts.length) {
                String pageText = doc.pages().get(p.page() - 1).text();
                int lead = pageText.length() - pageText.stripLeading().length();
                int offset =
                        Math.max(0, Math.min(p.offset() - lead, pageText.strip().length()));
                keep(pictures, starts[p.page() - 1] + offset, p.bytes());
            }
        }
        if (doc.note() != null) {
            notes.add(a.name() + ": " + doc.note());
        }
    }

    /**
     * Keeps a picture for OCR at {@code offset} of the message's text, unless it is too large or the message's pictures
     * are already at their count or at {@link #MAX_PICTURES_BYTES} bytes (they wait in memory for OCR).
     */
    private boolean keep(List<ParsedDocument.Picture> pictures, int offset, byte[] bytes) {
        long held = pictures.stream().mapToLong(p -> p.bytes().length).sum();
        if (pictures.size() >= maxPictures
                || bytes.length > MAX_PICTURE_BYTES
                || held + bytes.length > MAX_PICTURES_BYTES) {
            return false;
        }
        pictures.add(new ParsedDocument.Picture(1, offset, bytes));
        return true;
    }

    /**
     * The subject (the first line, as a title), then sender, recipients and date, a line each, short: a person by name
     * (the address only when there is no name), the day without the time. Every word of these lines is in every
     * message, and in a short message's only chunk they weigh on its vector: the full form (addresses, weekday, time)
     * cost a collection served as e-mail more nDCG@10 ({@code deploy/omnirag eval --as-emails}, docs/evaluation.md).
     */
    static String headers(Metadata metadata) {
        StringBuilder out = new StringBuilder();
        String subject = metadata.get(TikaCoreProperties.TITLE);
        if (subject != null && !subject.isBlank()) {
            out.append(subject.strip()).append('\n');
        }
        line(out, "From", metadata.getValues(Message.MESSAGE_FROM));
        line(out, "To", metadata.getValues(Message.MESSAGE_TO));
        line(out, "Cc", metadata.getValues(Message.MESSAGE_CC));
        line(out, "Bcc", metadata.getValues(Message.MESSAGE_BCC));
        String created = metadata.get(TikaCoreProperties.CREATED);
        if (created != null) {
            try {
                out.append("Date: ").append(DATE.format(Instant.parse(created))).append('\n');
            } catch (DateTimeParseException e) {
                out.append("Date: ").append(created.strip()).append('\n');
            }
        } else if (metadata.get(Message.MESSAGE_RAW_HEADER_PREFIX + "Date") != null) {
            // An Outlook message without its submit time: the date of the Internet headers it kept.
            String header =
                    metadata.get(Message.MESSAGE_RAW_HEADER_PREFIX + "Date").strip();
            try {
                out.append("Date: ")
                        .append(DATE.format(
                                java.time.ZonedDateTime.parse(header, DateTimeFormatter.RFC_1123_DATE_TIME)))
                        .append('\n');
            } catch (DateTimeParseException e) {
                out.append("Date: ").append(header).append('\n');
            }
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String name, String[] values) {
        List<String> kept = Stream.of(values)
                // Outlook's display lists, "Jane Doe; Ada Lovelace": split at a semicolon outside an address, in a
                // value without a quoted name ("Lovelace; Ada" <ada@example.org> is one person)
                .flatMap(v -> v.contains("\"") ? Stream.of(v) : Stream.of(v.split(";(?![^<>]*>)")))
                .map(String::strip)
                .map(v -> v.matches(".+<[^<>]+>")
                        ? v.substring(0, v.lastIndexOf('<')).strip()
                        : v)
                .filter(v -> !v.isEmpty())
                .distinct()
                .toList();
        if (!kept.isEmpty()) {
            out.append(name).append(": ").append(String.join(", ", kept)).append('\n');
        }
    }
}
