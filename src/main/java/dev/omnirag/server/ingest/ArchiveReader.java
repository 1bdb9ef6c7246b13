package dev.omnirag.server.ingest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.ArchiveStreamFactory;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import org.apache.commons.io.input.CountingInputStream;

/**
 * Reads the files of a zip or tar archive (plain, gzip, bzip2 or xz), one at a time, each into a temporary file of
 * its own inside {@code workDir} whatever its name says, so no entry can be written elsewhere. Guards: an entry
 * whose name climbs out of the archive ({@code ..}, absolute, a drive) or is a link or device is skipped with a
 * reason; a file larger than {@code maxEntryBytes} is skipped (an mbox mailbox is held to the expansion limit only:
 * its messages are each held to {@code maxEntryBytes} when it is read, {@link MailboxExpander}); the whole archive may expand to at most
 * {@code maxExpandedBytes} and, past the first 16 MiB, to at most {@code maxRatio} times the bytes read from it (a zip
 * bomb stops the import). Not thread-safe: one reader per archive.
 */
public final class ArchiveReader implements ImportSource {

    /** The archive cannot be read or breaks a limit that stops the whole import. */
    public static final class BadArchive extends IOException {
        public BadArchive(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final long RATIO_GRACE = 16L * 1024 * 1024;

    private final CountingInputStream raw;
    private final ArchiveInputStream<? extends ArchiveEntry> entries;
    private final Path workDir;
    private final long maxEntryBytes;
    private final long maxExpandedBytes;
    private final int maxRatio;
    private long expanded;
    /** The current entry's size limit: {@code maxEntryBytes}, or the expansion limit for a mailbox. */
    private long entryLimit;
    /** One copy buffer for every entry (a reader is used by one thread): not 64 KB to zero per file. */
    private final byte[] buffer = new byte[64 * 1024];

    /**
     * @throws BadArchive when the file is not a zip or tar archive (compressed or not)
     */
    public ArchiveReader(Path archive, Path workDir, long maxEntryBytes, long maxExpandedBytes, int maxRatio)
            throws IOException {
        this.workDir = workDir;
        this.maxEntryBytes = maxEntryBytes;
        this.maxExpandedBytes = maxExpandedBytes;
        this.maxRatio = maxRatio;
        this.raw = new CountingInputStream(new BufferedInputStream(Files.newInputStream(archive)));
        InputStream in = raw;
        try {
            String compression = CompressorStreamFactory.detect(in);
            if (!compression.equals(CompressorStreamFactory.GZIP)
                    && !compression.equals(CompressorStreamFactory.BZIP2)
                    && !compression.equals(CompressorStreamFactory.XZ)) {
                throw new BadArchive(
                        "the archive is compressed with " + compression + "; zip and tar (plain, "
                                + "gzip, bzip2 or xz) are imported",
                        null);
            }
            in = new BufferedInputStream(new CompressorStreamFactory().createCompressorInputStream(compression, in));
        } catch (CompressorException notCompressed) {
            // a plain archive
        }
        try {
            String format = ArchiveStreamFactory.detect(in);
            if (!format.equals(ArchiveStreamFactory.ZIP) && !format.equals(ArchiveStreamFactory.TAR)) {
                throw new BadArchive("the archive is " + format + "; zip and tar archives are imported", null);
            }
            this.entries = new ArchiveStreamFactory().createArchiveInputStream(format, in);
        } catch (org.apache.commons.compress.archivers.ArchiveException e) {
            raw.close();
            throw new BadArchive("the file is not a zip or tar archive (" + e.getMessage() + ")", e);
        } catch (BadArchive e) {
            raw.close();
            throw e;
        }
    }

    /** The next file or skipped entry; null at the end. Directories are passed over silently. */
    @Override
    public Entry next() throws IOException {
        while (true) {
            ArchiveEntry e;
            try {
                e = entries.getNextEntry();
            } catch (IOException | RuntimeException broken) {
                throw new BadArchive("the archive is damaged: " + broken.getMessage(), broken);
            }
            if (e == null) {
                return null;
            }
            if (e.isDirectory()) {
                continue;
            }
            String name = e.getName();
            String unsafe = unsafe(name, e);
            if (unsafe != null) {
                drain(null);
                return new Skipped(printable(name), unsafe);
            }
            String base = name.substring(name.lastIndexOf('/') + 1);
            if (base.startsWith(".") || name.startsWith("__MACOSX/")) {
                drain(null);
                return new Skipped(name, "hidden or system file");
            }
            if (!entries.canReadEntryData(e)) {
                drain(null);
                return new Skipped(name, "its data cannot be read (encrypted or an unsupported zip method)");
            }
            Path file = Files.createTempFile(workDir, "entry-", ".bin");
            long size;
            MessageDigest digest = BlobStore.sha256(); // the blob's name, computed on the way (no second read)
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest)) {
                size = drain(out);
            } catch (IOException | RuntimeException failed) {
                Files.deleteIfExists(file);
                throw failed;
            }
            if (size > entryLimit) {
                Files.deleteIfExists(file);
                return new Skipped(
                        name,
                        "the file is " + size + " bytes; the limit is " + entryLimit
                                + " bytes (omnirag.ingest.max-upload-size)");
            }
            return new File(name, file, size, true, HexFormat.of().formatHex(digest.digest()));
        }
    }

    /**
     * Reads the current entry to its end, into {@code out} up to the entry limit (the rest only counted); returns its
     * size. Every byte counts towards the archive's expansion limits.
     */
    private long drain(OutputStream out) throws IOException {
        long size = 0;
        entryLimit = maxEntryBytes;
        int n;
        while (true) {
            try {
                n = entries.read(buffer);
            } catch (IOException | RuntimeException broken) {
                throw new BadArchive("the archive is damaged: " + broken.getMessage(), broken);
            }
            if (n < 0) {
                return size;
            }
            size += n;
            expanded += n;
            if (expanded > maxExpandedBytes) {
                throw new BadArchive(
                        "the archive expands to more than " + maxExpandedBytes
                                + " bytes (omnirag.import.max-expanded-size)",
                        null);
            }
            if (expanded > RATIO_GRACE && expanded > (long) maxRatio * Math.max(1, raw.getByteCount())) {
                throw new BadArchive(
                        "the archive expands more than " + maxRatio + " times its size (a zip bomb?); "
                                + "omnirag.ingest.max-compression-ratio=" + maxRatio,
                        null);
            }
            if (size == n && MailboxReader.isMailbox(buffer, n)) {
                // An mbox mailbox (Google Takeout's mail) is read message by message afterwards, each message within
                // the entry limit: the mailbox itself is held only to the archive's expansion limit.
                entryLimit = maxExpandedBytes;
            }
            if (out != null && size <= entryLimit) {
                out.write(buffer, 0, n);
            }
        }
    }

    /** Why an entry's name or kind is not safe to import, or null. */
    static String unsafe(String name, ArchiveEntry e) {
        if (e instanceof TarArchiveEntry tar
                && (tar.isSymbolicLink()
                        || tar.isLink()
                        || tar.isCharacterDevice()
                        || tar.isBlockDevice()
                        || tar.isFIFO())) {
            return "links and devices are not imported";
        }
        if (e instanceof ZipArchiveEntry zip && zip.isUnixSymlink()) {
            return "links and devices are not imported";
        }
        if (name.isEmpty() || name.length() > 1024) {
            return "its name is empty or longer than 1024 characters";
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                return "its name has control characters";
            }
        }
        String n = name.replace('\\', '/');
        if (n.startsWith("/") || n.matches("^[A-Za-z]:.*")) {
            return "its path is absolute";
        }
        for (String part : n.split("/")) {
            if (part.equals("..")) {
                return "its path climbs out of the archive ('..')";
            }
        }
        return null;
    }

    private static String printable(String name) {
        StringBuilder b = new StringBuilder();
        name.codePoints().limit(200).forEach(c -> b.append(Character.isISOControl(c) ? '?' : Character.toString(c)));
        return b.toString();
    }

    /** The entry's name as the document's file name: its path inside the archive, at most 255 characters. */
    public static String documentName(String entryName) {
        String n = entryName.replace('\\', '/');
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        return n.length() > 255 ? n.substring(n.length() - 255) : n;
    }

    /** Whether the file's name looks like an archive this reader takes. */
    public static boolean looksLikeArchive(String filename) {
        String n = filename == null ? "" : filename.toLowerCase(Locale.ROOT);
        return n.endsWith(".zip")
                || n.endsWith(".tar")
                || n.endsWith(".tar.gz")
                || n.endsWith(".tgz")
                || n.endsWith(".tar.bz2")
                || n.endsWith(".tar.xz");
    }

    @Override
    public void close() throws IOException {
        entries.close();
    }
}
