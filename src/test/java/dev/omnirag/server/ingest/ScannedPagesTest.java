package dev.omnirag.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scanned report (pages that are pictures only) read by the real Tesseract, as an upload's pages are. */
class ScannedPagesTest extends WithRealOcr {

    static final List<String> BODIES = List.of(
            "The north pier was inspected in March. Two bollards showed cracks",
            "The crane rails on the east quay were measured and found within tolerance.",
            "Fire drills were held every quarter. The brigade now answers in six minutes.",
            "Dredging of the inner basin is planned for next year.");

    @Test
    void aScannedReportsRunningHeaderAndPageNumbersAreKeptOutOfItsPagesAndItsWordsKeepTheirBoxes(@TempDir Path tmp)
            throws IOException {
        Path pdf = tmp.resolve("safety-report.pdf");
        scannedReport(pdf);
        DocumentParser parser = new DocumentParser(false, media);
        ParsedDocument parsed = parser.parse(pdf, "application/pdf", "safety-report.pdf");
        assertThat(parsed.ocrPages()).containsExactly(1, 2, 3, 4);
        ParsedDocument read = media.complete(parsed, pdf, "application/pdf", (message, fraction) -> {});

        for (ParsedDocument.Page page : read.pages()) {
            String text = page.text();
            System.out.printf("page %d: %s%n", page.number(), text.replace("\n", "⏎"));
            assertThat(text)
                    .as("page %d", page.number())
                    .doesNotContainIgnoringCase("Harbour Authority")
                    .doesNotContain("of 4")
                    .doesNotContain("Quay Road")
                    .startsWith(BODIES.get(page.number() - 1).substring(0, 12))
                    .isEqualTo(text.strip());
            // Every word is still where its span says, with its box.
            assertThat(page.spans()).isNotEmpty();
            for (ParsedDocument.Span s : page.spans()) {
                assertThat(text.substring(s.charStart(), s.charEnd()))
                        .isNotBlank()
                        .doesNotContain(" ");
                assertThat(s.box()).isNotNull();
            }
        }
        ParsedDocument.Page first = read.pages().getFirst();
        int at = first.text().indexOf("bollards");
        assertThat(Spans.slice(first.spans(), at, at + "bollards".length()))
                .singleElement()
                .satisfies(s -> assertThat(s.box().y()).isGreaterThan(0.1));
    }

    /**
     * Four letter-size pages drawn at 150 dpi, each a header, a paragraph, "Page n of 4" and a footer, stored as
     * pictures only.
     */
    static void scannedReport(Path pdf) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            for (int p = 0; p < BODIES.size(); p++) {
                int w = 1275;
                int h = 1650;
                BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
                Graphics2D g = image.createGraphics();
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, w, h);
                g.setColor(Color.BLACK);
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                g.setFont(new Font(Font.SERIF, Font.ITALIC, 22));
                g.drawString("Harbour Authority - Annual Safety Report 2025", 120, 100);
                g.setFont(new Font(Font.SERIF, Font.PLAIN, 28));
                g.drawString(BODIES.get(p), 120, 250);
                g.setFont(new Font(Font.SERIF, Font.PLAIN, 22));
                // The page number above a footer: not the page's last line.
                g.drawString("Page " + (p + 1) + " of " + BODIES.size(), w / 2 - 60, h - 160);
                g.drawString("Quay Road 1, Porto", 120, h - 80);
                g.dispose();
                PDPage page = new PDPage(PDRectangle.LETTER);
                doc.addPage(page);
                try (var content = new PDPageContentStream(doc, page)) {
                    content.drawImage(LosslessFactory.createFromImage(doc, image), 0, 0, 612, 792);
                }
            }
            doc.save(pdf.toFile());
        }
    }
}
