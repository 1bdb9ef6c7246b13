package dev.omnirag.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** EPUB books and other zip containers built for tests, as their producers write them. */
public final class TestBooks {
    private TestBooks() {}

    /** A content document: {@code body} under a head with {@code title}. */
    public static String xhtml(String title, String body) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>"
                + title + "</title></head><body>" + body + "</body></html>";
    }

    /**
     * An EPUB as producers write it: the mimetype entry first and stored, the container, the package in OEBPS/ with
     * {@code metadata}, {@code manifest} and {@code spine} as given, then {@code files} (which may replace the container
     * or the package).
     */
    public static Path epub(
            Path file, String metadata, String manifest, String spine, java.util.Map<String, String> files)
            throws IOException {
        java.util.Map<String, String> all = new java.util.LinkedHashMap<>();
        all.put(
                "META-INF/container.xml",
                "<?xml version=\"1.0\"?><container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">"
                        + "<rootfiles><rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/>"
                        + "</rootfiles></container>");
        all.put(
                "OEBPS/content.opf",
                "<?xml version=\"1.0\"?><package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\">"
                        + "<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">" + metadata + "</metadata>"
                        + "<manifest>" + manifest + "</manifest><spine>" + spine + "</spine></package>");
        all.putAll(files);
        return container(file, "application/epub+zip", all);
    }

    /**
     * A zip container as EPUB and OpenDocument files are: a stored {@code mimetype} entry first, then {@code entries}
     * (name to UTF-8 text) in their order.
     */
    public static Path container(Path file, String mediaType, java.util.Map<String, String> entries)
            throws IOException {
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
            byte[] mimetype = mediaType.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            var first = new java.util.zip.ZipEntry("mimetype");
            first.setMethod(java.util.zip.ZipEntry.STORED);
            first.setSize(mimetype.length);
            var crc = new java.util.zip.CRC32();
            crc.update(mimetype);
            first.setCrc(crc.getValue());
            zip.putNextEntry(first);
            zip.write(mimetype);
            for (var entry : entries.entrySet()) {
                zip.putNextEntry(new java.util.zip.ZipEntry(entry.getKey()));
                zip.write(entry.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return file;
    }
}
