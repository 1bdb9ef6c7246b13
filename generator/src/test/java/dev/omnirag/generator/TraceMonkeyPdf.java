package dev.omnirag.generator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/** The TraceMonkey paper from the shared media, as page texts and server-like chunks. */
final class TraceMonkeyPdf {

    static final String FILE_NAME = "tracemonkey.pdf";
    private static final Path RELATIVE = Path.of("shared", "media", "pdf", FILE_NAME);

    private TraceMonkeyPdf() {}

    /**
     * Finds {@code shared/media/pdf/tracemonkey.pdf} in the working directory or an ancestor: the module
     * directory under Maven, {@code ../shared} beside the repository in CI.
     */
    static Path locate() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(RELATIVE);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                RELATIVE + " not found in " + Path.of("").toAbsolutePath() + " or its ancestors");
    }

    /** The text of 1-based page {@code page}, extracted by PDFBox as Tika does. */
    static String pageText(int page) {
        try (PDDocument document = Loader.loadPDF(locate().toFile())) {
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setStartPage(page);
            stripper.setEndPage(page);
            return stripper.getText(document);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read page " + page + " of " + FILE_NAME, e);
        }
    }

    /** The page cut at line ends into chunks of about {@code size} characters, as a chunker would. */
    static List<Source> chunks(int page, int size) {
        String text = pageText(page);
        List<Source> chunks = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = Math.min(text.length(), start + size);
            int nl = text.lastIndexOf('\n', end);
            if (end < text.length() && nl > start + size / 2) {
                end = nl + 1;
            }
            chunks.add(new Source(
                    FILE_NAME + "#p" + page + "c" + chunks.size(),
                    text.substring(start, end),
                    FILE_NAME + ", page " + page));
            start = end;
        }
        return chunks;
    }
}
