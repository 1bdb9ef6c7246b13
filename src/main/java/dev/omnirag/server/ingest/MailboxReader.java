package dev.omnirag.server.ingest;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The messages of an mbox mailbox (a Thunderbird folder, a Google Takeout or Apple Mail export), one at a time, each
 * into a temporary file of its own inside {@code workDir} as an {@code .eml}, so that each becomes a document
 * ({@link MailMessages} reads it). A message starts at a {@code From } line at the start of the file or after an
 * empty line (RFC 4155); a body line escaped as {@code >From } (mboxrd) gets its {@code From } back. A message larger
 * than {@code maxMessageBytes} is skipped with the reason. Each is named by its position and subject ({@code 00042 Re:
 * Budget.eml}), which stay the same on every read of the file: an import resumes by position. Not thread-safe.
 *
 * <p>Read here line by line rather than with mime4j's mbox iterator, which maps the whole file into memory (a Takeout
 * export is often larger than the 2 GB it can map) and misreads a message larger than its buffer, or Tika's mbox
 * parser, which pushes each message through a parse and rewrites every line through windows-1252.
 */
public final class MailboxReader implements ImportSource {

    private static final byte[] FROM = "From ".getBytes(StandardCharsets.US_ASCII);
    /** A mailbox's first line: {@code From sender date}, the date with its time of day, text only. */
    private static final Pattern FROM_LINE = Pattern.compile("From \\S+\\s+[^\\x00]*\\d{1,2}:\\d{2}[^\\x00]*");
    /** A header field: a name of printable characters but the colon, then a colon (RFC 5322). */
    private static final Pattern HEADER_FIELD = Pattern.compile("[!-9;-~]+:.*");
    /** The longest header line read for the subject; a longer one is still copied, just not used as a name. */
    private static final int MAX_SUBJECT_BYTES = 2000;

    private final InputStream in;
    private final Path workDir;
    private final long maxMessageBytes;
    private final boolean skipDeleted;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    /** Whether the line last read is the {@code From } line that starts the next message. */
    private boolean atMessage;

    private boolean ended;
    private int count;

    /**
     * @throws ArchiveReader.BadArchive when the file does not start with a {@code From } line
     */
    public MailboxReader(Path mailbox, Path workDir, long maxMessageBytes) throws IOException {
        this(mailbox, workDir, maxMessageBytes, true);
    }

    /**
     * @param skipDeleted skip the messages the mail client marks as thrown away ({@link #deleted}), with the reason
     * @throws ArchiveReader.BadArchive when the file does not start with a {@code From } line
     */
    public MailboxReader(Path mailbox, Path workDir, long maxMessageBytes, boolean skipDeleted) throws IOException {
        this.skipDeleted = skipDeleted;
        this.workDir = workDir;
        this.maxMessageBytes = maxMessageBytes;
        this.in = new BufferedInputStream(Files.newInputStream(mailbox), 64 * 1024);
        if (!readLine() || !startsWith(FROM)) {
            in.close();
            throw new ArchiveReader.BadArchive(
                    "the file is not an mbox mailbox (it does not start with 'From ')", null);
        }
        atMessage = true;
    }

    /**
     * Whether the file starts as an mbox mailbox does: a {@code From } line of text with a sender and a time ({@code
     * From ines@example.org Sat Dec  6 05:46:40 2025}), then a header field ({@code Subject: ...}). A text that begins
     * "From 1990 to 2000, ..." is not one, nor a tar archive whose first file is named {@code From ...} (its header has
     * NUL bytes).
     */
    public static boolean isMailbox(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4096);
        }
        return isMailbox(head, head.length);
    }

    /** {@link #isMailbox(Path)} of a file's first {@code length} bytes (its first two lines must be among them). */
    public static boolean isMailbox(byte[] head, int length) {
        List<String> lines = new String(head, 0, Math.min(length, 4096), StandardCharsets.ISO_8859_1)
                .lines()
                .limit(2)
                .toList();
        return lines.size() == 2
                && FROM_LINE.matcher(lines.get(0)).matches()
                && HEADER_FIELD.matcher(lines.get(1)).matches();
    }

    @Override
    public Entry next() throws IOException {
        if (ended || !atMessage) {
            return null;
        }
        count++;
        Path file = Files.createTempFile(workDir, "message-", ".eml");
        MessageDigest digest = BlobStore.sha256();
        long size = 0;
        String subject = null;
        String field = null;
        StringBuilder labels = null;
        String mozillaStatus = null;
        boolean inHeader = true;
        boolean blankBefore = false;
        atMessage = false;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest)) {
            while (readLine()) {
                int n = line.size();
                byte[] bytes = line.toByteArray();
                boolean blank = isBlank(bytes);
                if (blankBefore && startsWith(FROM)) {
                    atMessage = true;
                    break;
                }
                if (inHeader && blank) {
                    inHeader = false;
                }
                if (inHeader && subject == null && n < MAX_SUBJECT_BYTES && startsWithIgnoreCase(bytes, "subject:")) {
                    subject = new String(bytes, 8, n - 8, StandardCharsets.UTF_8).strip();
                }
                if (inHeader && !blank && skipDeleted) {
                    if (bytes[0] == ' ' || bytes[0] == '\t') {
                        // A folded line continues the field before it.
                        if ("x-gmail-labels".equals(field) && labels != null && labels.length() < MAX_SUBJECT_BYTES) {
                            labels.append(new String(bytes, StandardCharsets.UTF_8));
                        }
                    } else {
                        int colon = indexOf(bytes, (byte) ':');
                        field = colon > 0
                                ? new String(bytes, 0, colon, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT)
                                : null;
                        if ("x-gmail-labels".equals(field) && labels == null && n < MAX_SUBJECT_BYTES) {
                            labels = new StringBuilder(
                                    new String(bytes, colon + 1, n - colon - 1, StandardCharsets.UTF_8));
                        } else if ("x-mozilla-status".equals(field) && mozillaStatus == null && n < 100) {
                            mozillaStatus = new String(bytes, colon + 1, n - colon - 1, StandardCharsets.ISO_8859_1);
                        }
                    }
                }
                int skip = escapedFrom(bytes) ? 1 : 0;
                if (blankBefore) {
                    size += write(out, new byte[] {'\n'}, 0, size);
                }
                // A blank line is held back: the one before the next From line belongs to the mailbox, not the message.
                if (!blank) {
                    size += write(out, bytes, skip, size);
                    size += write(out, new byte[] {'\n'}, 0, size);
                }
                blankBefore = blank;
            }
        } catch (IOException | RuntimeException failed) {
            Files.deleteIfExists(file);
            throw failed;
        }
        if (!atMessage) {
            ended = true;
        }
        String name = String.format(Locale.ROOT, "%05d %s.eml", count, printable(subject));
        String deleted = skipDeleted ? deleted(labels, mozillaStatus) : null;
        if (deleted != null) {
            Files.deleteIfExists(file);
            return new Skipped(name, deleted + " (omnirag.import.skip-deleted-mail=false imports it)");
        }
        if (size > maxMessageBytes) {
            Files.deleteIfExists(file);
            return new Skipped(
                    name, "the message is more than " + maxMessageBytes + " bytes (omnirag.ingest.max-upload-size)");
        }
        return new File(name, file, size, true, HexFormat.of().formatHex(digest.digest()));
    }

    /**
     * Why a message is one its mail client threw away, or null: Gmail's labels (a Takeout of "All mail Including
     * Spam and Trash") name Spam or Trash; Thunderbird's status has the expunged flag (a deleted message stays in the
     * folder's file until the folder is compacted).
     */
    static String deleted(CharSequence gmailLabels, String mozillaStatus) {
        if (gmailLabels != null) {
            for (String label : gmailLabels.toString().split(",")) {
                String l = label.strip();
                if (l.equalsIgnoreCase("Spam") || l.equalsIgnoreCase("Trash")) {
                    return "in Gmail's " + (l.equalsIgnoreCase("Spam") ? "Spam" : "Trash");
                }
            }
        }
        if (mozillaStatus != null) {
            try {
                if ((Integer.parseInt(mozillaStatus.strip(), 16) & 0x0008) != 0) {
                    return "deleted in Thunderbird";
                }
            } catch (NumberFormatException e) {
                // not Thunderbird's flags
            }
        }
        return null;
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Writes unless the message is already past its limit (then it is only counted, to be skipped). */
    private long write(OutputStream out, byte[] bytes, int from, long written) throws IOException {
        int n = bytes.length - from;
        if (written + n <= maxMessageBytes) {
            out.write(bytes, from, n);
        }
        return n;
    }

    /** Reads one line without its end ({@code \n} or {@code \r\n}) into {@link #line}; false at the end of the file. */
    private boolean readLine() throws IOException {
        line.reset();
        int b;
        boolean any = false;
        while ((b = in.read()) >= 0) {
            any = true;
            if (b == '\n') {
                break;
            }
            line.write(b);
        }
        if (!any) {
            return false;
        }
        byte[] bytes = line.toByteArray();
        if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
            line.reset();
            line.write(bytes, 0, bytes.length - 1);
        }
        return true;
    }

    private boolean startsWith(byte[] prefix) {
        byte[] bytes = line.toByteArray();
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWithIgnoreCase(byte[] bytes, String prefix) {
        return bytes.length >= prefix.length()
                && new String(bytes, 0, prefix.length(), StandardCharsets.ISO_8859_1).equalsIgnoreCase(prefix);
    }

    /** {@code >From }, {@code >>From }...: a body line that the mailbox escaped (mboxrd). */
    private static boolean escapedFrom(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && bytes[i] == '>') {
            i++;
        }
        if (i == 0 || bytes.length - i < FROM.length) {
            return false;
        }
        for (int j = 0; j < FROM.length; j++) {
            if (bytes[i + j] != FROM[j]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    /** The subject as a file name: encoded words decoded, no slashes or control characters, at most 100 characters. */
    private static String printable(String subject) {
        if (subject == null || subject.isBlank()) {
            return "message";
        }
        String decoded = org.apache.james.mime4j.codec.DecoderUtil.decodeEncodedWords(
                subject, org.apache.james.mime4j.codec.DecodeMonitor.SILENT);
        StringBuilder b = new StringBuilder();
        decoded.codePoints()
                .map(c -> Character.isISOControl(c) || c == '/' || c == '\\' ? ' ' : c)
                .forEach(b::appendCodePoint);
        String out = b.toString().strip().replaceAll("\\s+", " ");
        return out.isEmpty()
                ? "message"
                : out.length() > 100 ? out.substring(0, 100).strip() : out;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
