package dev.omnirag.server.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.extractor.ParsingEmbeddedDocumentExtractor;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.ParseContext;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * Keeps the pictures embedded in an office document (a slide's diagram, a screenshot in a report) for OCR, instead of
 * Tika's reading of them, which gives no text; every other embedded document (a sheet in a report) is parsed by Tika
 * as before. Where each picture stands comes from the parse's anchors: a slide's {@code <div class="embedded"
 * id="slide2_rId3">} or a paragraph's {@code <img src="embedded:image1.png">}. At most {@code maxPictures} pictures
 * of at most {@code maxBytes} each, {@code 4 × maxBytes} in all, are kept (they wait in memory for OCR); thumbnails of
 * the whole document are not. One parse; not thread safe.
 */
final class OfficePictures implements EmbeddedDocumentExtractor {

    /** The office formats whose pictures are read (their parsers anchor pictures in the text). */
    static final Set<String> TYPES = Set.of(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "application/vnd.oasis.opendocument.text",
            "application/vnd.oasis.opendocument.presentation");

    private static final Set<String> IMAGES =
            Set.of("image/png", "image/jpeg", "image/gif", "image/bmp", "image/x-ms-bmp", "image/tiff");

    private record Kept(String relationshipId, String name, byte[] bytes) {}

    private final EmbeddedDocumentExtractor others;
    private final int maxPictures;
    private final int maxBytes;
    private final List<Kept> kept = new ArrayList<>();
    private long keptBytes;

    OfficePictures(ParseContext context, int maxPictures, int maxBytes) {
        this.others = new ParsingEmbeddedDocumentExtractor(context);
        this.maxPictures = maxPictures;
        this.maxBytes = maxBytes;
    }

    private static boolean picture(Metadata metadata) {
        String type = metadata.get(Metadata.CONTENT_TYPE);
        String resource = metadata.get(TikaCoreProperties.EMBEDDED_RESOURCE_TYPE);
        return type != null
                && IMAGES.contains(type.toLowerCase(Locale.ROOT).split(";")[0].strip())
                && !TikaCoreProperties.EmbeddedResourceType.THUMBNAIL.toString().equals(resource);
    }

    @Override
    public boolean shouldParseEmbedded(Metadata metadata) {
        return picture(metadata) || others.shouldParseEmbedded(metadata);
    }

    @Override
    public void parseEmbedded(InputStream stream, ContentHandler handler, Metadata metadata, boolean outputHtml)
            throws SAXException, IOException {
        if (!picture(metadata)) {
            others.parseEmbedded(stream, handler, metadata, outputHtml);
            return;
        }
        if (kept.size() >= maxPictures) {
            return;
        }
        byte[] bytes = stream.readNBytes(maxBytes + 1);
        if (bytes.length <= maxBytes && keptBytes + bytes.length <= 4L * maxBytes) {
            keptBytes += bytes.length;
            kept.add(new Kept(
                    metadata.get(TikaCoreProperties.EMBEDDED_RELATIONSHIP_ID),
                    metadata.get(TikaCoreProperties.RESOURCE_NAME_KEY),
                    bytes));
        }
    }

    /**
     * The kept pictures placed by the parse's anchors (by relationship id, else by file name; each anchor is {@code
     * {page index, offset}}); a picture no anchor names is left out.
     */
    List<ParsedDocument.Picture> placed(Map<String, int[]> anchors) {
        List<ParsedDocument.Picture> out = new ArrayList<>();
        for (Kept k : kept) {
            int[] at = k.relationshipId() == null ? null : anchors.get(k.relationshipId());
            if (at == null && k.name() != null) {
                at = anchors.get(k.name());
            }
            if (at != null) {
                out.add(new ParsedDocument.Picture(at[0] + 1, at[1], k.bytes()));
            }
        }
        return out;
    }
}
