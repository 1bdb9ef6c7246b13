package dev.omnirag.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Test;

/** Rendering PDF pages and image frames, and telling scanned pages from text pages. */
class PageRendererTest {

    private final PageRenderer renderer = new PageRenderer(new ImageDecoder(40_000_000, 100));

    @Test
    void rendersAPdfPageAtTheRequestedResolution() throws IOException {
        Path pdf = SharedData.file("media/pdf/tracemonkey.pdf");
        assertThat(renderer.pageCount(pdf, "application/pdf")).isEqualTo(14);
        BufferedImage page = renderer.render(pdf, "application/pdf", 1, 100, 0);
        // US Letter at 100 dpi.
        assertThat(page.getWidth()).isBetween(845, 855);
        assertThat(page.getHeight()).isBetween(1095, 1105);
        BufferedImage png =
                ImageIO.read(new ByteArrayInputStream(renderer.renderPng(pdf, "application/pdf", 2, 50, 300)));
        assertThat(Math.max(png.getWidth(), png.getHeight())).isLessThanOrEqualTo(300);
        assertThatThrownBy(() -> renderer.render(pdf, "application/pdf", 15, 72, 0))
                .isInstanceOf(MediaException.NonRetriable.class)
                .hasMessageContaining("the PDF has 14 pages");
    }

    @Test
    void theRenderingStaysWithinThePixelBudget() {
        PageRenderer small = new PageRenderer(new ImageDecoder(100_000, 10));
        BufferedImage page = small.render(SharedData.file("media/pdf/tracemonkey.pdf"), "application/pdf", 1, 600, 0);
        assertThat((long) page.getWidth() * page.getHeight()).isLessThanOrEqualTo(100_000);
    }

    @Test
    void scannedPagesAreToldFromTextPages() throws IOException {
        try (PDDocument scan =
                        Loader.loadPDF(SharedData.file("media/pdf/scan-bad.pdf").toFile());
                PDDocument text = Loader.loadPDF(
                        SharedData.file("media/pdf/tracemonkey.pdf").toFile())) {
            assertThat(PdfScans.isScannedPage(scan.getPage(0))).isTrue();
            assertThat(PdfScans.isScannedPage(text.getPage(0))).isFalse();
        }
    }
}
