package dev.omnirag.server.ingest;

import com.drew.imaging.ImageMetadataReader;
import com.drew.lang.KeyValuePair;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.gif.GifCommentDirectory;
import com.drew.metadata.iptc.IptcDirectory;
import com.drew.metadata.jpeg.JpegCommentDirectory;
import com.drew.metadata.png.PngDirectory;
import com.drew.metadata.xmp.XmpDirectory;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The words a picture carries about itself, for its text stand-in: EXIF ImageDescription and the Windows
 * title/subject/comment/keywords, XMP {@code dc:title}, {@code dc:description} and {@code dc:subject}
 * (keywords), IPTC caption, headline and keywords, PNG text chunks (Title, Description, Comment...; XMP in an
 * iTXt chunk too) and JPEG/GIF comments. Read with metadata-extractor (the library Tika itself uses), which
 * reads headers and metadata segments, never pixels. Thread safe; never fails (a file it cannot read has no
 * description).
 */
final class EmbeddedMetadata {

    /** Longest value kept; longer ones are binary blobs or machine data, not descriptions. */
    private static final int MAX_VALUE = 2000;

    /** XMP properties kept (array items come as {@code dc:subject[1]}, {@code dc:title[1]}...). */
    private static final Pattern XMP_KEYS = Pattern.compile(
            "(dc:title|dc:description|dc:subject|photoshop:Headline|Iptc4xmpCore:ExtDescrAccessibility)(\\[\\d+])?");

    /** PNG text chunk keywords kept (the PNG specification's predefined ones). */
    private static final Set<String> PNG_KEYWORDS =
            Set.of("title", "description", "comment", "subject", "keywords", "author");

    private static final int[] EXIF_TAGS = {
        ExifIFD0Directory.TAG_IMAGE_DESCRIPTION,
        ExifIFD0Directory.TAG_WIN_TITLE,
        ExifIFD0Directory.TAG_WIN_SUBJECT,
        ExifIFD0Directory.TAG_WIN_COMMENT,
        ExifIFD0Directory.TAG_WIN_KEYWORDS
    };

    private static final int[] IPTC_TAGS = {
        IptcDirectory.TAG_OBJECT_NAME, IptcDirectory.TAG_HEADLINE, IptcDirectory.TAG_CAPTION, IptcDirectory.TAG_KEYWORDS
    };

    private EmbeddedMetadata() {}

    /** The image's embedded title, description and keywords, one per line, without repeats; "" when none. */
    static String imageDescription(Path file) {
        Metadata metadata;
        try {
            metadata = ImageMetadataReader.readMetadata(file.toFile());
        } catch (Exception | StackOverflowError e) {
            return "";
        }
        Set<String> parts = new LinkedHashSet<>();
        for (ExifIFD0Directory d : metadata.getDirectoriesOfType(ExifIFD0Directory.class)) {
            for (int tag : EXIF_TAGS) {
                add(parts, d.getDescription(tag));
            }
        }
        for (XmpDirectory d : metadata.getDirectoriesOfType(XmpDirectory.class)) {
            for (Map.Entry<String, String> e : d.getXmpProperties().entrySet()) {
                if (XMP_KEYS.matcher(e.getKey()).matches()) {
                    add(parts, e.getValue());
                }
            }
        }
        for (IptcDirectory d : metadata.getDirectoriesOfType(IptcDirectory.class)) {
            for (int tag : IPTC_TAGS) {
                String[] values = d.getStringArray(tag);
                if (values != null) {
                    add(parts, String.join(", ", values));
                }
            }
        }
        for (PngDirectory d : metadata.getDirectoriesOfType(PngDirectory.class)) {
            Object text = d.getObject(PngDirectory.TAG_TEXTUAL_DATA);
            if (text instanceof List<?> pairs) {
                for (Object p : pairs) {
                    if (p instanceof KeyValuePair kv
                            && PNG_KEYWORDS.contains(kv.getKey().toLowerCase(Locale.ROOT))) {
                        add(parts, kv.getValue().toString());
                    }
                }
            }
        }
        for (Class<? extends Directory> type : List.of(JpegCommentDirectory.class, GifCommentDirectory.class)) {
            for (Directory d : metadata.getDirectoriesOfType(type)) {
                add(
                        parts,
                        d.getString(
                                type == JpegCommentDirectory.class
                                        ? JpegCommentDirectory.TAG_COMMENT
                                        : GifCommentDirectory.TAG_COMMENT));
            }
        }
        return String.join("\n", parts);
    }

    private static void add(Set<String> parts, String value) {
        if (value == null) {
            return;
        }
        String v = value.replace('\u0000', ' ').strip();
        if (!v.isEmpty() && v.length() <= MAX_VALUE && v.codePoints().anyMatch(Character::isLetter)) {
            parts.add(v);
        }
    }
}
