package dev.omnirag.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnirag.index.BoundingBox;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real Tesseract (bytedeco natives, eng.traineddata from the class path) on images rendered by the test. */
class TesseractOcrEngineTest {

    @TempDir
    static Path cache;

    private static TesseractOcrEngine ocr;

    @BeforeAll
    static void start() {
        ocr = TesseractOcrEngine.builder().cacheDir(cache).build();
    }

    @AfterAll
    static void stop() {
        ocr.close();
    }

    static final List<String> PARAGRAPH = List.of(
            "Boundary layer transition on a flat plate",
            "depends on the Reynolds number and on the",
            "turbulence of the free stream above it.");

    @Test
    void readsARenderedParagraphWithWordBoxesAroundTheDrawnWords() {
        TextImages.Drawn drawn = TextImages.render(1400, 400, 40, 40, PARAGRAPH);
        OcrText result = ocr.recognize(drawn.image(), 0);

        String text = result.text().toLowerCase(Locale.ROOT);
        for (String word : List.of("boundary", "layer", "transition", "reynolds", "turbulence", "stream")) {
            assertThat(text).contains(word);
        }
        assertThat(result.text().lines().filter(l -> !l.isBlank()).count()).isEqualTo(3);
        for (String word : List.of("reynolds", "turbulence", "boundary")) {
            int at = text.indexOf(word);
            BoundingBox found = OcrText.boxOf(result.words(), at, at + word.length());
            int[] r = drawn.words().get(word);
            BoundingBox expected = BoundingBox.ofPixels(r[0], r[1], r[2], r[3], 1400, 400);
            // The recognised box lies within the drawn word's box grown by a few pixels, and covers most of it.
            BoundingBox grown = BoundingBox.ofPixels(r[0] - 6, r[1] - 6, r[2] + 6, r[3] + 6, 1400, 400);
            assertThat(grown.contains(found))
                    .as("%s: found %s, drawn %s", word, found, expected)
                    .isTrue();
            assertThat(found.w() * found.h()).as(word).isGreaterThan(0.5 * expected.w() * expected.h());
        }
        for (OcrText.Word w : result.words()) {
            assertThat(result.text().substring(w.charStart(), w.charEnd()))
                    .isNotBlank()
                    .doesNotContain(" ");
        }
    }

    @Test
    void aSentenceOverLinesSetWidelyApartIsNotCutByBlankLines() {
        // A page set with wide line spacing (a thesis, a contract): Tesseract makes a paragraph of every line.
        // Here the last line, after a shorter one, was a paragraph of its own ("…found within⏎⏎tolerance. Fire…").
        List<String> lines = List.of(
                "The north pier was inspected in March. Two bollards showed",
                "cracks and were replaced before the storm season began. The",
                "crane rails on the east quay were measured and found within",
                "tolerance. Fire drills were held every quarter.");
        OcrText result =
                ocr.recognize(TextImages.render(1275, 500, 28, 120, lines, 23).image(), 150);
        System.out.println("OCR of widely spaced lines: " + result.text().replace("\n", "⏎"));
        // A line that goes on with the sentence before it starts a line, not a paragraph.
        assertThat(result.text()).contains("within\ntolerance.").doesNotContain("\n\n");
        assertThat(TesseractOcrEngine.runsOn("found within ", "tolerance.")).isTrue();
        assertThat(TesseractOcrEngine.runsOn("every quarter.", "and")).isFalse();
        assertThat(TesseractOcrEngine.runsOn("Summary", "The")).isFalse();
    }

    @Test
    void aBlankImageHasNoText() {
        BufferedImage white = TextImages.render(300, 200, 20, 10, List.of()).image();
        OcrText result = ocr.recognize(white, 0);
        assertThat(result.text()).isEmpty();
        assertThat(result.words()).isEmpty();
    }

    @Test
    void smallScreenshotTextIsEnlargedAndRead() {
        TextImages.Drawn drawn = TextImages.render(420, 60, 14, 8, List.of("Invoice total due in thirty days"));
        assertThat(ocr.recognize(drawn.image(), 0).text().toLowerCase(Locale.ROOT))
                .contains("invoice")
                .contains("thirty");
    }

    @Test
    void builderNamesTheBadParameter() {
        assertThatThrownBy(() -> TesseractOcrEngine.builder().engines(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("engines must be in 1..64; engines=0");
        assertThatThrownBy(() -> TesseractOcrEngine.builder()
                        .language("deu")
                        .cacheDir(cache)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("language=deu");
        assertThatThrownBy(() -> TesseractOcrEngine.builder()
                        .tessdata(cache.resolve("none"))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tessdata must be a directory");
    }
}
