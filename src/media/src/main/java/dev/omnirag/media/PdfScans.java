package dev.omnirag.media;

import java.io.IOException;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * Recognises scanned PDF pages: a page whose resources hold an image with the page's proportions (within 5%)
 * at scanner resolution (at least 100 pixels per inch across the page). This looks only at the image's
 * dictionary (width and height), never decodes it, so it is cheap and safe on damaged files.
 */
public final class PdfScans {

    private PdfScans() {}

    /** True when the page carries a full-page scan image. */
    public static boolean isScannedPage(PDPage page) {
        PDResources resources = page.getResources();
        if (resources == null) {
            return false;
        }
        PDRectangle box = page.getCropBox();
        if (box == null || box.getWidth() <= 0 || box.getHeight() <= 0) {
            return false;
        }
        double pageRatio = box.getWidth() / box.getHeight();
        double inches = box.getWidth() / 72.0;
        for (COSName name : resources.getXObjectNames()) {
            try {
                PDXObject object = resources.getXObject(name);
                if (object instanceof PDImageXObject image && image.getWidth() > 0 && image.getHeight() > 0) {
                    double ratio = (double) image.getWidth() / image.getHeight();
                    boolean sameShape = Math.abs(ratio - pageRatio) / pageRatio < 0.05
                            || Math.abs(1 / ratio - pageRatio) / pageRatio < 0.05;
                    if (sameShape && image.getWidth() / inches >= 100) {
                        return true;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // an unreadable XObject is not a scan we can use
            }
        }
        return false;
    }
}
