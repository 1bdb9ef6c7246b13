package dev.omnirag.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnirag.media.ImageDecoder;
import dev.omnirag.media.OcrEngine;
import dev.omnirag.media.OcrText;
import dev.omnirag.media.PageRenderer;
import dev.omnirag.server.TestSupport;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/**
 * Which text layers are real, on the shared PDFs: TAMReview.pdf's fonts map 21 of its 23 pages' glyphs to nothing
 * readable, while tracemonkey.pdf (a paper with code, tables and charts) and a filled tax form are text throughout.
 */
class TextLayerTest {

    private static List<String> pages(String pdf) throws IOException {
        try (PDDocument doc =
                Loader.loadPDF(TestSupport.shared("media/pdf/" + pdf).toFile())) {
            PDFTextStripper stripper = new PDFTextStripper();
            List<String> out = new ArrayList<>();
            for (int p = 1; p <= doc.getNumberOfPages(); p++) {
                stripper.setStartPage(p);
                stripper.setEndPage(p);
                out.add(stripper.getText(doc));
            }
            return out;
        }
    }

    @Test
    void brokenFontsAreUnusableAndRealTextIsNot() throws IOException {
        List<String> tam = pages("TAMReview.pdf");
        assertThat(tam).hasSize(23);
        for (int i = 0; i < tam.size(); i++) {
            TextLayer.Verdict v = TextLayer.judge(tam.get(i));
            boolean broken = i >= 1 && i <= 21;
            assertThat(v.usable()).as("TAMReview page %d: %s", i + 1, v).isEqualTo(!broken);
            if (broken) {
                assertThat(v.unmappedShare()).isGreaterThan(0.5);
                assertThat(v.reason()).contains("no Unicode mapping");
            }
        }
        for (String pdf : List.of("tracemonkey.pdf", "prefilled_f1040.pdf")) {
            List<String> pages = pages(pdf);
            for (int i = 0; i < pages.size(); i++) {
                TextLayer.Verdict v = TextLayer.judge(pages.get(i));
                assertThat(v.usable()).as("%s page %d: %s", pdf, i + 1, v).isTrue();
                assertThat(v.unmappedShare()).isZero();
            }
        }
    }

    @Test
    void lettersThatFormNoWordsAreUnusableButTablesOfNumbersAreText() {
        String noise = String.join(
                " ",
                IntStream.range(0, 80)
                        .mapToObj(i -> "x" + (char) ('!' + i % 10) + "q#")
                        .toList());
        assertThat(TextLayer.judge(noise).usable()).isFalse();
        assertThat(TextLayer.judge(noise).reason()).contains("tokens are words");
        String table = String.join(
                " ",
                IntStream.range(0, 80).mapToObj(i -> i + ".5 " + (i * 7) + "%").toList());
        assertThat(TextLayer.judge(table).usable()).as("numbers").isTrue();
        assertThat(TextLayer.judge("Figure 3").usable())
                .as("too short to judge by words")
                .isTrue();
        assertThat(TextLayer.judge("").usable()).isTrue();
    }

    @Test
    void theParserSendsUnusablePagesToOcrAndSaysWhy() throws IOException {
        // Only the parse is exercised: the engine would be called later, by MediaProcessor.complete.
        OcrEngine notCalledWhileParsing = new OcrEngine() {
            @Override
            public OcrText recognize(BufferedImage image, int dpi) {
                throw new AssertionError("the parse does not run OCR");
            }

            @Override
            public void close() {}
        };
        ImageDecoder decoder = new ImageDecoder(50_000_000, 10);
        MediaProcessor media = new MediaProcessor(
                notCalledWhileParsing, decoder, new PageRenderer(decoder), null, null, 300, 16, false);
        Path pdf = TestSupport.shared("media/pdf/TAMReview.pdf");

        ParsedDocument doc = new DocumentParser(false, media).parse(pdf, "application/pdf", "TAMReview.pdf");

        assertThat(doc.ocrPages())
                .containsExactlyElementsOf(IntStream.rangeClosed(2, 22).boxed().toList());
        assertThat(doc.pages().get(1).text()).as("the broken layer is dropped").isEmpty();
        assertThat(doc.pages().get(0).text()).contains("Technology Acceptance Model");
        assertThat(doc.note())
                .startsWith("21 of 23 pages read by OCR because their text layer is unusable; page 2: ")
                .contains("no Unicode mapping");
    }
}
