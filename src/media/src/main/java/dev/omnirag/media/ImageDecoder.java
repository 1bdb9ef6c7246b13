package dev.omnirag.media;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes image files (PNG, JPEG, TIFF with any number of pages, BMP, GIF, WebP) with limits: the size each
 * frame claims in its header is checked before any pixel is decoded, so a small file claiming 50000×50000
 * pixels is refused without allocating anything, and memory stays bounded by {@code maxPixels} per frame
 * (4 bytes per pixel while decoded). Frames are decoded one at a time, on demand. Immutable and thread safe.
 *
 * @param maxPixels largest width × height of one frame, 1..1,000,000,000
 * @param maxFrames largest number of frames (TIFF pages, GIF frames) read from one file, 1..100,000
 */
public record ImageDecoder(long maxPixels, int maxFrames) {

    static {
        // Plugins (WebP) register through the service loader of the thread's context class loader; make sure
        // the one that loaded this library is scanned whatever thread decodes first.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try {
            thread.setContextClassLoader(ImageDecoder.class.getClassLoader());
            ImageIO.scanForPlugins();
        } finally {
            thread.setContextClassLoader(previous);
        }
        ImageIO.setUseCache(false);
    }

    public ImageDecoder {
        if (maxPixels < 1 || maxPixels > 1_000_000_000L) {
            throw new IllegalArgumentException("maxPixels must be in 1..1000000000; maxPixels=" + maxPixels);
        }
        if (maxFrames < 1 || maxFrames > 100_000) {
            throw new IllegalArgumentException("maxFrames must be in 1..100000; maxFrames=" + maxFrames);
        }
    }

    /** True when an ImageIO reader exists for the media type (e.g. {@code image/webp}). */
    public static boolean canDecode(String mediaType) {
        return ImageIO.getImageReadersByMIMEType(mediaType.toLowerCase(Locale.ROOT))
                        .hasNext()
                || mediaType.equalsIgnoreCase("image/x-ms-bmp")
                || mediaType.equalsIgnoreCase("image/x-bmp");
    }

    /** Number of frames of the file (1 for most formats; pages of a TIFF), at most {@link #maxFrames}. */
    public int frameCount(Path file) {
        return withReader(file, reader -> {
            int n;
            try {
                n = reader.getNumImages(true);
            } catch (IOException | RuntimeException e) {
                throw bad(e);
            }
            if (n < 1) {
                throw new MediaException.NonRetriable("the image file holds no image");
            }
            if (n > maxFrames) {
                throw new MediaException.NonRetriable(
                        "the image file holds " + n + " frames; at most " + maxFrames + " are read");
            }
            return n;
        });
    }

    /** Width and height of a frame, from its header only. */
    public int[] size(Path file, int frame) {
        return withReader(file, reader -> {
            try {
                return new int[] {reader.getWidth(frame), reader.getHeight(frame)};
            } catch (IOException | RuntimeException e) {
                throw bad(e);
            }
        });
    }

    /**
     * Decodes one frame (0-based).
     *
     * @throws MediaException.NonRetriable when the file is damaged, of an unknown format, or over the limits
     */
    public BufferedImage read(Path file, int frame) {
        return withReader(file, reader -> {
            try {
                int w = reader.getWidth(frame);
                int h = reader.getHeight(frame);
                if (w <= 0 || h <= 0) {
                    throw new MediaException.NonRetriable(
                            "the image claims an empty size of " + w + "×" + h + " pixels");
                }
                if ((long) w * h > maxPixels) {
                    throw new MediaException.NonRetriable(
                            "the image is " + w + "×" + h + " pixels (" + ((long) w * h / 1_000_000)
                                    + " megapixels); at most " + maxPixels + " pixels are decoded");
                }
                ImageReadParam param = reader.getDefaultReadParam();
                BufferedImage image = reader.read(frame, param);
                if (image == null) {
                    throw new MediaException.NonRetriable("the image could not be decoded");
                }
                return image;
            } catch (MediaException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw bad(e);
            } catch (OutOfMemoryError e) {
                throw new MediaException.NonRetriable("decoding the image needs more memory than is available", e);
            }
        });
    }

    private interface ReaderAction<T> {
        T apply(ImageReader reader);
    }

    private <T> T withReader(Path file, ReaderAction<T> action) {
        try {
            if (Files.size(file) == 0) {
                throw new MediaException.NonRetriable("the image file is empty (0 bytes)");
            }
        } catch (IOException e) {
            throw new MediaException.Retriable("cannot read " + file + ": " + e.getMessage(), e);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new MediaException.Retriable("cannot open " + file, null);
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new MediaException.NonRetriable("the file is not an image in a format that can be decoded "
                        + "(PNG, JPEG, TIFF, BMP, GIF, WebP)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, false, true);
                return action.apply(reader);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw bad(e);
        }
    }

    private static MediaException bad(Throwable e) {
        String message = e.getMessage() == null || e.getMessage().isBlank()
                ? e.getClass().getSimpleName()
                : e.getMessage();
        if (e.getCause() != null
                && e.getCause().getMessage() != null
                && !message.contains(e.getCause().getMessage())) {
            message += ": " + e.getCause().getMessage();
        }
        if (message.length() > 300) {
            message = message.substring(0, 300) + "…";
        }
        return new MediaException.NonRetriable(
                "the image is damaged or truncated and cannot be decoded (" + message + ")", e);
    }
}
