package dev.omnirag.media;

import dev.omnirag.index.BoundingBox;
import java.awt.geom.Point2D;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.contentstream.PDFGraphicsStreamEngine;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.PDImage;
import org.apache.pdfbox.util.Matrix;

/**
 * Finds the pictures drawn on a PDF page (charts, screenshots, photos of slides) and where: each image's box on the
 * page, normalised with the origin at the top left as OCR boxes are. Pages without an image or form XObject in their
 * resources are answered without reading their content stream, so text-only pages cost almost nothing. Stateless.
 */
public final class PdfFigures {

    /** A picture on the page: its box (normalised, top-left origin) and its size in pixels. */
    public record Figure(BoundingBox box, int pixelWidth, int pixelHeight) {}

    private PdfFigures() {}

    /**
     * The page's pictures that cover at least {@code minAreaShare} of the page and at most {@code maxAreaShare}
     * (a larger one is a scan, read as a page), in drawing order, each picture once.
     */
    public static List<Figure> figures(PDPage page, double minAreaShare, double maxAreaShare) {
        PDResources resources = page.getResources();
        PDRectangle crop = page.getCropBox();
        if (resources == null
                || crop == null
                || crop.getWidth() <= 0
                || crop.getHeight() <= 0
                || !hasXObjects(resources)) {
            return List.of();
        }
        Collector collector = new Collector(page, crop, minAreaShare, maxAreaShare);
        try {
            collector.processPage(page);
        } catch (IOException | RuntimeException e) {
            // A damaged content stream: the pictures found before the damage still count.
        }
        return collector.found;
    }

    /**
     * Whether the resources hold an image XObject, directly or in a form XObject (three levels deep), read from the
     * dictionaries alone: a page of vector graphics and text is not worth a pass over its content stream.
     */
    private static boolean hasXObjects(PDResources resources) {
        return hasImages(resources, 3);
    }

    private static boolean hasImages(PDResources resources, int depth) {
        if (resources == null || depth == 0) {
            return false;
        }
        for (COSName name : resources.getXObjectNames()) {
            try {
                if (resources.isImageXObject(name)) {
                    return true;
                }
                if (resources.getXObject(name) instanceof org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject form
                        && hasImages(form.getResources(), depth - 1)) {
                    return true;
                }
            } catch (IOException | RuntimeException e) {
                // an unreadable XObject holds no picture we can read
            }
        }
        return false;
    }

    private static final class Collector extends PDFGraphicsStreamEngine {
        private final PDRectangle crop;
        private final double minArea;
        private final double maxArea;
        private final List<Figure> found = new ArrayList<>();
        private final Point2D.Float current = new Point2D.Float();

        Collector(PDPage page, PDRectangle crop, double minArea, double maxArea) {
            super(page);
            this.crop = crop;
            this.minArea = minArea;
            this.maxArea = maxArea;
        }

        @Override
        public void drawImage(PDImage image) {
            Matrix ctm = getGraphicsState().getCurrentTransformationMatrix();
            double minX = Double.MAX_VALUE;
            double minY = Double.MAX_VALUE;
            double maxX = -Double.MAX_VALUE;
            double maxY = -Double.MAX_VALUE;
            for (float[] corner : new float[][] {{0, 0}, {1, 0}, {0, 1}, {1, 1}}) {
                Point2D.Float p = ctm.transformPoint(corner[0], corner[1]);
                minX = Math.min(minX, p.x);
                minY = Math.min(minY, p.y);
                maxX = Math.max(maxX, p.x);
                maxY = Math.max(maxY, p.y);
            }
            double x = clamp((minX - crop.getLowerLeftX()) / crop.getWidth());
            double right = clamp((maxX - crop.getLowerLeftX()) / crop.getWidth());
            double top = clamp((crop.getUpperRightY() - maxY) / crop.getHeight());
            double bottom = clamp((crop.getUpperRightY() - minY) / crop.getHeight());
            double area = (right - x) * (bottom - top);
            if (area < minArea || area > maxArea || right <= x || bottom <= top) {
                return;
            }
            BoundingBox box = new BoundingBox(x, top, right - x, bottom - top);
            if (found.stream().noneMatch(f -> f.box().equals(box))) {
                found.add(new Figure(box, image.getWidth(), image.getHeight()));
            }
        }

        private static double clamp(double v) {
            return Math.max(0, Math.min(1, v));
        }

        // Text is not looked at: skipping its glyphs (font loading, glyph decoding) makes a page's pass several times
        // cheaper.
        @Override
        public void showTextString(byte[] string) {}

        @Override
        public void showTextStrings(org.apache.pdfbox.cos.COSArray array) {}

        @Override
        public void appendRectangle(Point2D p0, Point2D p1, Point2D p2, Point2D p3) {}

        @Override
        public void clip(int windingRule) {}

        @Override
        public void moveTo(float x, float y) {
            current.setLocation(x, y);
        }

        @Override
        public void lineTo(float x, float y) {
            current.setLocation(x, y);
        }

        @Override
        public void curveTo(float x1, float y1, float x2, float y2, float x3, float y3) {
            current.setLocation(x3, y3);
        }

        @Override
        public Point2D getCurrentPoint() {
            return current;
        }

        @Override
        public void closePath() {}

        @Override
        public void endPath() {}

        @Override
        public void strokePath() {}

        @Override
        public void fillPath(int windingRule) {}

        @Override
        public void fillAndStrokePath(int windingRule) {}

        @Override
        public void shadingFill(COSName shadingName) {}
    }
}
