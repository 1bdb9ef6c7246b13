package dev.omnirag.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Optical character recognition of images and scanned PDF pages (Tesseract, in process). */
@ConfigMapping(prefix = "omnirag.ocr")
public interface OcrConfig {

    /** Run OCR on images and on PDF pages without a usable text layer. When off, such files fail with a reason. */
    @WithDefault("true")
    boolean enabled();

    /** Tesseract language(s), e.g. {@code eng} or {@code eng+deu}; others than eng need {@code tessdata}. */
    @WithDefault("eng")
    String language();

    /** A directory with {@code <language>.traineddata} files; default: eng.traineddata shipped in the jars. */
    Optional<Path> tessdata();

    /** Tesseract instances, i.e. pages recognised at once. */
    @WithDefault("1")
    int engines();

    /** Longest time the OCR of one page may take. */
    @WithDefault("120s")
    Duration timeout();

    /** Resolution at which scanned PDF pages are rendered for OCR. */
    @WithDefault("300")
    int pdfDpi();

    /** A PDF page whose text layer has fewer non-space characters than this is treated as a scan and OCR'd. */
    @WithDefault("16")
    int minTextChars();

    /**
     * Recover scanned PDFs whose cross-reference table is broken (truncated downloads of scans): when every page of
     * the rebuilt file is a full-page scan image, the rendered pages are OCR'd (the recovered text layer is never
     * used) and the job's message says so. Other damaged PDFs still fail unless
     * {@code omnirag.ingest.repair-damaged-pdfs} is on.
     */
    @WithDefault("true")
    boolean recoverDamagedScans();

    /** Pictures on the text pages of PDFs and in office documents (charts, screenshots, diagrams on slides). */
    Figures figures();

    /** Which pictures on text pages are OCR'd; their words are chunked apart, each with the picture's box. */
    interface Figures {

        /**
         * OCR the pictures on PDF text pages and in Word, PowerPoint and OpenDocument files (where a picture stands, its
         * words become a paragraph; one on three slides or more, a logo, is not read).
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * The least share of the page a PDF's picture covers to be read (smaller ones are icons and logos); an office
         * file's picture needs 20,000 pixels.
         */
        @WithDefault("0.03")
        double minArea();

        /** The most pictures read per document; each costs an OCR call. */
        @WithDefault("50")
        int maxPerDocument();
    }
}
