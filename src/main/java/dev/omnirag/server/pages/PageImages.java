package dev.omnirag.server.pages;

import dev.omnirag.server.config.OmniragConfig;
import dev.omnirag.server.config.PagesConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.jboss.logging.Logger;

/**
 * Renders PDF pages to PNG with PDFBox and caches them under {@code <home>/pages/<sha256>/<dpi>/<n>.png}. The
 * cache is keyed by the file's content hash, so every document with the same bytes shares it. Thread safe: a
 * page rendered twice at once is written to a temporary file and moved into place by both, harmlessly.
 */
@ApplicationScoped
public class PageImages {

    private static final Logger LOG = Logger.getLogger(PageImages.class);

    private final Path root;
    private final PagesConfig config;

    PageImages(OmniragConfig home, PagesConfig config) {
        this.root = home.home().resolve("pages");
        this.config = config;
    }

    /**
     * The PNG of page {@code page} (1-based) of the PDF {@code pdf} whose content hash is {@code sha256},
     * rendering it on first use.
     *
     * @throws PageOutOfRangeException when the PDF has no such page
     */
    public Path png(String sha256, Path pdf, int page) throws IOException {
        Path cached =
                root.resolve(sha256).resolve(Integer.toString(config.dpi())).resolve(page + ".png");
        if (Files.exists(cached)) {
            return cached;
        }
        long start = System.nanoTime();
        BufferedImage image;
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            int pages = doc.getNumberOfPages();
            if (page < 1 || page > pages) {
                throw new PageOutOfRangeException(page, pages);
            }
            PDPage p = doc.getPage(page - 1);
            PDRectangle box = p.getCropBox();
            float longestPoints = Math.max(box.getWidth(), box.getHeight());
            float dpi = Math.min(config.dpi(), config.maxPixels() * 72f / Math.max(1f, longestPoints));
            PDFRenderer renderer = new PDFRenderer(doc);
            image = renderer.renderImageWithDPI(page - 1, dpi, ImageType.RGB);
        }
        Files.createDirectories(cached.getParent());
        Path temp = Files.createTempFile(cached.getParent(), "render-", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                ImageIO.write(image, "png", out);
            }
            Files.move(temp, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        LOG.debugf(
                "Rendered page %s of %s in %s ms",
                Integer.valueOf(page), sha256, Long.valueOf((System.nanoTime() - start) / 1_000_000));
        return cached;
    }

    /** Removes the cached images of a file (when its blob is deleted). */
    public void evict(String sha256) {
        Path dir = root.resolve(sha256);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warnf("could not delete cached page images of %s: %s", sha256, e.getMessage());
        }
    }

    /** The PDF has fewer pages than asked for. */
    public static final class PageOutOfRangeException extends IOException {
        private final int pages;

        public PageOutOfRangeException(int page, int pages) {
            super("page " + page + " does not exist; the document has " + pages + " page" + (pages == 1 ? "" : "s"));
            this.pages = pages;
        }

        public int pages() {
            return pages;
        }
    }
}
