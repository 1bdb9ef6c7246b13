package dev.omnirag.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.poi.xwpf.usermodel.Document;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfficePicturesTest extends WithRealOcr {

    private static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    @Test
    void aReportsScreenshotIsReadIntoTheTextWhereItStands(@TempDir Path tmp) throws IOException {
        Path docx = report(
                tmp,
                List.of("The rig was run for six hours.", "The log below shows the peak."),
                List.of("Pump pressure peaked at four bar", "while the coolant stayed cold"),
                "The pump was replaced afterwards.");

        ParsedDocument parsed = new DocumentParser(false, media).parse(docx, DOCX);
        assertThat(parsed.pictures()).hasSize(1);
        ParsedDocument done = media.complete(parsed, docx, DOCX, (message, fraction) -> {});

        String text = done.pages().getFirst().text();
        int before = text.indexOf("The log below shows the peak.");
        int words = text.toLowerCase(java.util.Locale.ROOT).indexOf("pump pressure peaked");
        int after = text.indexOf("The pump was replaced afterwards.");
        assertThat(before).isNotNegative();
        assertThat(words).isGreaterThan(before);
        assertThat(after).isGreaterThan(words);
        assertThat(done.note()).isEqualTo("OCR on 1 picture");
        assertThat(done.pictures()).isEmpty();
    }

    @Test
    void aDocumentThatIsOnlyAPictureIsReadNotRejected(@TempDir Path tmp) throws IOException {
        Path docx = report(tmp, List.of(), List.of("Quarterly turbine inspection", "all blades passed"), null);

        ParsedDocument done = media.complete(
                new DocumentParser(false, media).parse(docx, DOCX), docx, DOCX, (message, fraction) -> {});

        assertThat(done.pages().getFirst().text().toLowerCase(java.util.Locale.ROOT))
                .contains("turbine inspection");
    }

    @Test
    void withoutOcrAPictureIsLeftAsBefore(@TempDir Path tmp) throws IOException {
        Path docx = report(tmp, List.of("Text around a picture."), List.of("Words in the picture"), null);

        ParsedDocument parsed = new DocumentParser(false).parse(docx, DOCX);

        assertThat(parsed.pictures()).isEmpty();
        assertThat(parsed.pages().getFirst().text())
                .contains("Text around a picture.")
                .doesNotContain("Words");
    }

    /** A Word file: paragraphs, then a picture of {@code pictureLines}, then an optional last paragraph. */
    static Path report(Path dir, List<String> before, List<String> pictureLines, String after) throws IOException {
        Path docx = dir.resolve("report.docx");
        try (XWPFDocument doc = new XWPFDocument();
                var out = Files.newOutputStream(docx)) {
            for (String line : before) {
                doc.createParagraph().createRun().setText(line);
            }
            try {
                doc.createParagraph()
                        .createRun()
                        .addPicture(
                                new ByteArrayInputStream(png(pictureLines)),
                                Document.PICTURE_TYPE_PNG,
                                "log.png",
                                1200 * 9525,
                                300 * 9525);
            } catch (org.apache.poi.openxml4j.exceptions.InvalidFormatException e) {
                throw new IOException(e);
            }
            if (after != null) {
                doc.createParagraph().createRun().setText(after);
            }
            doc.write(out);
        }
        return docx;
    }

    static byte[] png(List<String> lines) throws IOException {
        BufferedImage image = new BufferedImage(1200, 300, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 1200, 300);
        g.setColor(Color.BLACK);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SERIF, Font.PLAIN, 48));
        int y = 90;
        for (String line : lines) {
            g.drawString(line, 40, y);
            y += 90;
        }
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }
}
