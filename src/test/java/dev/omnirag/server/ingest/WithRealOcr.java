package dev.omnirag.server.ingest;

import dev.omnirag.media.ImageDecoder;
import dev.omnirag.media.PageRenderer;
import dev.omnirag.media.TesseractOcrEngine;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests that read pictures with the real Tesseract (the English model from the class path, copied to a temporary
 * directory): one engine and one {@link MediaProcessor} over it per test class.
 */
abstract class WithRealOcr {

    @TempDir
    static Path cache;

    static TesseractOcrEngine ocr;
    static MediaProcessor media;

    @BeforeAll
    static void startOcr() {
        ocr = TesseractOcrEngine.builder().cacheDir(cache).build();
        ImageDecoder decoder = new ImageDecoder(50_000_000, 10);
        media = new MediaProcessor(ocr, decoder, new PageRenderer(decoder), null, null, 300, 16, false);
    }

    @AfterAll
    static void stopOcr() {
        ocr.close();
    }
}
