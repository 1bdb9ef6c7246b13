package dev.omnirag.server.ingest;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cheap structural check of a PDF's trailer: the last {@code startxref} must give the offset of a
 * cross-reference table ({@code xref}) or stream ({@code N G obj}). PDFBox silently rebuilds a broken table by
 * scanning the whole file, which also "recovers" text from fuzzed and truncated files; by default such files
 * fail with a clear reason instead of polluting the index ({@code omnirag.ingest.repair-damaged-pdfs}).
 */
final class PdfIntegrity {

    private static final int TAIL = 4096;
    /** Writers that miscount their offsets by a few bytes are common and harmless. */
    private static final int SLACK = 64;

    private static final Pattern STARTXREF = Pattern.compile("startxref\\s+(\\d+)");
    private static final Pattern TARGET = Pattern.compile("\\A\\s*(xref|\\d+\\s+\\d+\\s+obj)");

    private PdfIntegrity() {}

    /** Why the file's cross-reference structure is broken, or empty when it looks sound. */
    static Optional<String> problem(Path pdf) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(pdf.toFile(), "r")) {
            long length = file.length();
            byte[] tail = new byte[(int) Math.min(TAIL, length)];
            file.seek(length - tail.length);
            file.readFully(tail);
            Matcher m = STARTXREF.matcher(new String(tail, StandardCharsets.ISO_8859_1));
            Long offset = null;
            while (m.find()) {
                try {
                    offset = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    offset = Long.MAX_VALUE;
                }
            }
            if (offset == null) {
                return Optional.of("the PDF has no valid startxref entry (the file is truncated or damaged)");
            }
            if (offset >= length) {
                return Optional.of("the PDF's cross-reference offset " + offset + " lies beyond the end of the file ("
                        + length + " bytes): the file is truncated or damaged");
            }
            long from = Math.max(0, offset - SLACK);
            byte[] around = new byte[(int) Math.min(2 * SLACK + 32, length - from)];
            file.seek(from);
            file.readFully(around);
            String window = new String(around, StandardCharsets.ISO_8859_1);
            for (int i = 0; i <= Math.min(2 * SLACK, window.length() - 1); i++) {
                if (TARGET.matcher(window.substring(i)).lookingAt()) {
                    return Optional.empty();
                }
            }
            return Optional.of(
                    "the PDF's cross-reference table is missing or damaged (no xref at offset " + offset + ")");
        }
    }
}
