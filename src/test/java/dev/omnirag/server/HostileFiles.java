package dev.omnirag.server;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Generates hostile files for the limits tests: random bytes behind valid magic numbers, truncated copies of real
 * files, deep nesting, images whose headers claim huge dimensions, and zip bombs (written streaming, never held in
 * memory).
 */
public final class HostileFiles {

    private HostileFiles() {}

    /** A generated file and what it is, for messages. */
    public record Hostile(String what, Path file) {}

    /** Magic numbers of the formats the server reads (and of a plain ZIP), by file extension. */
    private static final List<Magic> MAGICS = List.of(
            new Magic("pdf", "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII)),
            new Magic("png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}),
            new Magic("jpg", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0}),
            new Magic("gif", "GIF89a".getBytes(StandardCharsets.US_ASCII)),
            new Magic("tif", new byte[] {'I', 'I', 42, 0}),
            new Magic("bmp", new byte[] {'B', 'M'}),
            new Magic("webp", new byte[] {'R', 'I', 'F', 'F', 0, 0, 1, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' '}),
            new Magic("zip", new byte[] {'P', 'K', 3, 4}),
            new Magic("wav", new byte[] {'R', 'I', 'F', 'F', 0, 0, 1, 0, 'W', 'A', 'V', 'E', 'f', 'm', 't', ' '}),
            new Magic("mp3", new byte[] {'I', 'D', '3', 3, 0, 0, 0, 0, 0, 0}),
            new Magic("ogg", new byte[] {'O', 'g', 'g', 'S', 0, 2}));

    private record Magic(String extension, byte[] bytes) {}

    /** For each known format, its magic number followed by 1 to 64 KiB of random bytes. */
    public static List<Hostile> randomBehindMagic(Path dir, Random random) throws IOException {
        List<Hostile> out = new ArrayList<>();
        for (Magic m : MAGICS) {
            byte[] tail = new byte[1 + random.nextInt(64 * 1024)];
            random.nextBytes(tail);
            byte[] all = new byte[m.bytes().length + tail.length];
            System.arraycopy(m.bytes(), 0, all, 0, m.bytes().length);
            System.arraycopy(tail, 0, all, m.bytes().length, tail.length);
            Path f = Files.write(dir.resolve("random." + m.extension()), all);
            out.add(new Hostile("random bytes behind the " + m.extension() + " magic number", f));
        }
        return out;
    }

    /**
     * A notebook's opening ({@code .ipynb}) followed by 1 to 64 KiB of random printable text: text, so it is read as a
     * notebook, and not JSON.
     */
    public static Hostile randomNotebook(Path dir, Random random) throws IOException {
        StringBuilder text = new StringBuilder("{\"cells\": [{\"cell_type\": \"code\", \"source\": ");
        int n = 1 + random.nextInt(64 * 1024);
        for (int i = 0; i < n; i++) {
            text.append((char) (' ' + random.nextInt(95)));
        }
        Path f = Files.writeString(dir.resolve("random.ipynb"), text);
        return new Hostile("random text behind a notebook's opening", f);
    }

    /** A docx-looking zip (its content types) whose other parts are random bytes. */
    public static Hostile randomDocx(Path dir, Random random) throws IOException {
        Path f = dir.resolve("random.docx");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(f))) {
            docxSkeleton(zip);
            zip.putNextEntry(new ZipEntry("word/document.xml"));
            byte[] junk = new byte[1 + random.nextInt(32 * 1024)];
            random.nextBytes(junk);
            zip.write(junk);
            zip.closeEntry();
        }
        return new Hostile("a docx whose document part is random bytes", f);
    }

    /** {@code count} copies of {@code real} cut at random offsets. */
    public static List<Hostile> truncated(Path dir, Path real, int count, Random random) throws IOException {
        byte[] bytes = Files.readAllBytes(real);
        List<Hostile> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int cut = 1 + random.nextInt(bytes.length - 1);
            String name = real.getFileName().toString();
            Path f = Files.write(dir.resolve("cut" + i + "-" + name), java.util.Arrays.copyOf(bytes, cut));
            out.add(new Hostile(name + " cut at byte " + cut, f));
        }
        return out;
    }

    /** HTML, XML and JSON nested {@code depth} levels deep. */
    public static List<Hostile> deeplyNested(Path dir, int depth) throws IOException {
        List<Hostile> out = new ArrayList<>();
        out.add(new Hostile(
                "HTML nested " + depth + " deep",
                write(
                        dir.resolve("nested.html"),
                        "<!DOCTYPE html><html><body>",
                        "<div>",
                        "deep",
                        "</div>",
                        "</body></html>",
                        depth)));
        out.add(new Hostile(
                "XML nested " + depth + " deep",
                write(dir.resolve("nested.xml"), "<?xml version=\"1.0\"?>", "<a>", "deep", "</a>", "", depth)));
        out.add(new Hostile(
                "JSON nested " + depth + " deep",
                write(dir.resolve("nested.json"), "", "{\"a\":", "1", "}", "", depth)));
        return out;
    }

    private static Path write(Path f, String head, String open, String middle, String close, String tail, int depth)
            throws IOException {
        try (Writer w = Files.newBufferedWriter(f)) {
            w.write(head);
            for (int i = 0; i < depth; i++) {
                w.write(open);
            }
            w.write(middle);
            for (int i = 0; i < depth; i++) {
                w.write(close);
            }
            w.write(tail);
        }
        return f;
    }

    /** A PNG whose header claims {@code width}×{@code height} pixels (with a few bytes of image data). */
    public static Hostile hugePng(Path dir, int width, int height) throws IOException {
        ByteBuffer ihdr = ByteBuffer.allocate(13)
                .putInt(width)
                .putInt(height)
                .put((byte) 8)
                .put((byte) 2)
                .put((byte) 0)
                .put((byte) 0)
                .put((byte) 0);
        var out = new java.io.ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        chunk(out, "IHDR", ihdr.array());
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[4096]);
        deflater.finish();
        byte[] idat = new byte[8192];
        int n = deflater.deflate(idat);
        chunk(out, "IDAT", java.util.Arrays.copyOf(idat, n));
        chunk(out, "IEND", new byte[0]);
        Path f = Files.write(dir.resolve("huge.png"), out.toByteArray());
        return new Hostile("a PNG claiming " + width + "x" + height + " pixels", f);
    }

    private static void chunk(java.io.ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A GIF whose logical screen claims 65535×65535 pixels. */
    public static Hostile hugeGif(Path dir) throws IOException {
        byte[] gif = {
            'G',
            'I',
            'F',
            '8',
            '9',
            'a',
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            0,
            0,
            0,
            ',',
            0,
            0,
            0,
            0,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            0,
            2,
            2,
            0x44,
            0x01,
            0,
            ';'
        };
        return new Hostile("a GIF claiming 65535x65535 pixels", Files.write(dir.resolve("huge.gif"), gif));
    }

    /**
     * A DOCX whose document part inflates to {@code megabytes} MB of spaces inside one text run: a few hundred KB
     * on disk. Written through the deflater in blocks, never held in memory.
     */
    public static Hostile docxBomb(Path dir, int megabytes) throws IOException {
        Path f = dir.resolve("bomb.docx");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(f))) {
            zip.setLevel(Deflater.BEST_COMPRESSION);
            docxSkeleton(zip);
            zip.putNextEntry(new ZipEntry("word/document.xml"));
            zip.write(("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w="
                            + "\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r>"
                            + "<w:t xml:space=\"preserve\">bomb")
                    .getBytes(StandardCharsets.UTF_8));
            writeSpaces(zip, megabytes);
            zip.write("</w:t></w:r></w:p></w:body></w:document>".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return new Hostile("a DOCX zip bomb (" + megabytes + " MB of text in " + Files.size(f) / 1024 + " KB)", f);
    }

    /** An OpenDocument text whose content inflates to {@code megabytes} MB of text (Tika reads ODF without POI). */
    public static Hostile odtBomb(Path dir, int megabytes) throws IOException {
        Path f = openDocumentText(dir.resolve("bomb.odt"), zip -> {
            zip.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office="
                            + "\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:text="
                            + "\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:text><text:p>")
                    .getBytes(StandardCharsets.UTF_8));
            byte[] block = "bomb ".repeat(1 << 16).getBytes(StandardCharsets.US_ASCII);
            for (long written = 0; written < (long) megabytes << 20; written += block.length) {
                zip.write(block);
            }
            zip.write(
                    "</text:p></office:text></office:body></office:document-content>".getBytes(StandardCharsets.UTF_8));
        });
        return new Hostile("an ODT zip bomb (" + megabytes + " MB of text in " + Files.size(f) / 1024 + " KB)", f);
    }

    /** Writes one part of a file. */
    public interface PartWriter {
        void write(OutputStream out) throws IOException;
    }

    /**
     * An OpenDocument text file: its {@code mimetype} stored first, a manifest, and {@code content.xml} as {@code
     * content} writes it (compressed as much as possible).
     */
    public static Path openDocumentText(Path f, PartWriter content) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(f))) {
            byte[] mimetype = "application/vnd.oasis.opendocument.text".getBytes(StandardCharsets.US_ASCII);
            ZipEntry first = new ZipEntry("mimetype");
            first.setMethod(ZipEntry.STORED);
            first.setSize(mimetype.length);
            CRC32 crc = new CRC32();
            crc.update(mimetype);
            first.setCrc(crc.getValue());
            zip.putNextEntry(first);
            zip.write(mimetype);
            zip.closeEntry();
            zip.setLevel(Deflater.BEST_COMPRESSION);
            zip.putNextEntry(new ZipEntry("META-INF/manifest.xml"));
            zip.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest xmlns:manifest="
                            + "\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\"><manifest:file-entry manifest:full-path=\"/\" "
                            + "manifest:media-type=\"application/vnd.oasis.opendocument.text\"/><manifest:file-entry "
                            + "manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>")
                    .getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("content.xml"));
            content.write(zip);
            zip.closeEntry();
        }
        return f;
    }

    private static void writeSpaces(OutputStream out, int megabytes) throws IOException {
        byte[] block = new byte[1 << 20];
        java.util.Arrays.fill(block, (byte) ' ');
        for (int i = 0; i < megabytes; i++) {
            out.write(block);
        }
    }

    private static void docxSkeleton(ZipOutputStream zip) throws IOException {
        zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
        zip.write(("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Types xmlns="
                        + "\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" "
                        + "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" "
                        + "ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType="
                        + "\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>")
                .getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
        zip.putNextEntry(new ZipEntry("_rels/.rels"));
        zip.write(("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Relationships xmlns="
                        + "\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type="
                        + "\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
                        + "Target=\"word/document.xml\"/></Relationships>")
                .getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }
}
