package dev.omnirag.media;

import java.awt.image.BufferedImage;

/**
 * Reads the text of an image with the position of every word.
 *
 * <p>Contract:
 * <ul>
 *   <li>The result's text holds the words in reading order: words separated by a space, lines by a newline,
 *       paragraphs and blocks by a blank line. Each {@link OcrText.Word} gives its exact character range in that
 *       text and its box normalised to the image (0..1), so boxes fit any rendering of the same page.</li>
 *   <li>An image without legible text gives an empty text and no words (not an error).</li>
 *   <li>Blocking and CPU-heavy; thread safe (implementations pool their native engines).</li>
 * </ul>
 */
public interface OcrEngine extends AutoCloseable {

    /**
     * Recognises the text of one image.
     *
     * @param image the page or picture, any size the caller has already bounded
     * @param dpi the image's resolution in dots per inch when known (a rendered PDF page), else 0
     * @throws MediaException.NonRetriable when recognition fails or exceeds its time limit
     */
    OcrText recognize(BufferedImage image, int dpi);

    /** Releases native resources; the engine is unusable afterwards. */
    @Override
    void close();
}
