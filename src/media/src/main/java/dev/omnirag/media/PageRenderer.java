package dev.omnirag.media;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/**
 * Renders one page of a document as an image: a PDF page (PDFBox, at a requested resolution) or a frame of an
 * image file (a TIFF page, the only frame of a PNG). Used for OCR of scanned pages, for the native image vectors
 * of pages, and by the HTTP endpoint that lets clients draw citation boxes on a page. The pixel budget of
 * {@link ImageDecoder#maxPixels()} bounds every rendering: a PDF page is rendered at a lower resolution when the
 * requested one would exceed it. Immutable and thread safe.
 */
public final class PageRenderer {

    private final ImageDecoder decoder;

    public PageRenderer(ImageDecoder decoder) {
        this.decoder = decoder;
    }

    /** True when pages of this media type can be rendered (PDF and decodable images). */
    public static boolean canRender(String mediaType) {
        String type = mediaType.toLowerCase(Locale.ROOT);
        return type.equals("application/pdf") || (type.startsWith("image/") && ImageDecoder.canDecode(type));
    }

    /** Number of pages (PDF pages, image frames). */
    public int pageCount(Path file, String mediaType) {
        if (isPdf(mediaType)) {
            try (PDDocument pdf = Loader.loadPDF(file.toFile())) {
                return pdf.getNumberOfPages();
            } catch (IOException e) {
                throw new MediaException.NonRetriable("cannot read the PDF: " + e.getMessage(), e);
            }
        }
        return decoder.frameCount(file);
    }

    /**
     * The page (1-based) as an image. PDFs are rendered at {@code dpi} (lowered to stay within the pixel budget);
     * image frames are returned at their own size (dpi is ignored), scaled down only when {@code maxSide} > 0
     * and a side exceeds it.
     *
     * @throws MediaException.NonRetriable when the page does not exist or cannot be rendered
     */
    public BufferedImage render(Path file, String mediaType, int page, int dpi, int maxSide) {
        if (page < 1) {
            throw new IllegalArgumentException("page must be >= 1; page=" + page);
        }
        if (isPdf(mediaType)) {
            try (PDDocument pdf = Loader.loadPDF(file.toFile())) {
                return renderPdfPage(pdf, page, dpi, maxSide);
            } catch (IOException e) {
                throw new MediaException.NonRetriable("cannot read the PDF: " + e.getMessage(), e);
            }
        }
        int frames = decoder.frameCount(file);
        if (page > frames) {
            throw new MediaException.NonRetriable(
                    "page " + page + " does not exist; the image has " + frames + (frames == 1 ? " page" : " pages"));
        }
        BufferedImage image = decoder.read(file, page - 1);
        return maxSide > 0 ? fit(image, maxSide) : image;
    }

    /** Renders a page of an open PDF (1-based) at {@code dpi}, lowered to fit the pixel budget and maxSide. */
    public BufferedImage renderPdfPage(PDDocument pdf, int page, int dpi, int maxSide) throws IOException {
        if (page > pdf.getNumberOfPages()) {
            throw new MediaException.NonRetriable(
                    "page " + page + " does not exist; the PDF has " + pdf.getNumberOfPages() + " pages");
        }
        PDPage p = pdf.getPage(page - 1);
        PDRectangle box = p.getCropBox();
        double inchesW = Math.max(1, box.getWidth()) / 72.0;
        double inchesH = Math.max(1, box.getHeight()) / 72.0;
        double scale = Math.max(1, dpi);
        double pixels = inchesW * scale * inchesH * scale;
        if (pixels > decoder.maxPixels()) {
            scale = Math.sqrt(decoder.maxPixels() / (inchesW * inchesH));
        }
        if (maxSide > 0) {
            scale = Math.min(scale, maxSide / Math.max(inchesW, inchesH));
        }
        return new PDFRenderer(pdf).renderImageWithDPI(page - 1, (float) Math.max(1, Math.floor(scale)), ImageType.RGB);
    }

    /** The page as PNG bytes (see {@link #render}). */
    public byte[] renderPng(Path file, String mediaType, int page, int dpi, int maxSide) {
        return png(render(file, mediaType, page, dpi, maxSide));
    }

    /** Encodes an image as PNG. */
    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new MediaException.NonRetriable("cannot encode PNG: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** Scaled down (keeping the aspect ratio) so neither side exceeds maxSide; the same image if it fits. */
    public static BufferedImage fit(BufferedImage image, int maxSide) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (Math.max(w, h) <= maxSide) {
            return image;
        }
        double s = (double) maxSide / Math.max(w, h);
        int tw = Math.max(1, (int) Math.round(w * s));
        int th = Math.max(1, (int) Math.round(h * s));
        BufferedImage out = new BufferedImage(tw, th, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(
                    java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, tw, th);
            g.drawImage(image.getScaledInstance(tw, th, java.awt.Image.SCALE_AREA_AVERAGING), 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static boolean isPdf(String mediaType) {
        return mediaType.equalsIgnoreCase("application/pdf");
    }
}
