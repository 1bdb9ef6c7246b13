package dev.omnirag.server.api;

import dev.omnirag.server.db.Db;
import dev.omnirag.server.db.DocumentEntity;
import dev.omnirag.server.ingest.BlobStore;
import dev.omnirag.server.pages.PageImages;
import dev.omnirag.server.pages.QuoteBoxes;
import dev.omnirag.server.security.Access;
import dev.omnirag.server.security.Principal;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * A document's pages for clients: a PDF page or an image (frame) as a PNG, and, for PDFs, the boxes a quote
 * covers on the page. Blocking (rendering and text extraction run on worker threads).
 */
@Path("/v1/documents/{id}/pages")
public class PagesResource {

    private static final Logger LOG = Logger.getLogger(PagesResource.class);
    /** Longest quote located; longer ones are cut (the boxes then cover their start). */
    static final int MAX_QUOTE = 4000;

    private final Db db;
    private final BlobStore blobs;
    private final PageImages images;
    private final dev.omnirag.media.PageRenderer renderer;
    private final dev.omnirag.server.config.PagesConfig config;
    private final Access access;

    PagesResource(
            Db db,
            BlobStore blobs,
            PageImages images,
            dev.omnirag.media.PageRenderer renderer,
            dev.omnirag.server.config.PagesConfig config,
            Access access) {
        this.access = access;
        this.db = db;
        this.blobs = blobs;
        this.images = images;
        this.renderer = renderer;
        this.config = config;
    }

    /** The page rendered to PNG (cached after the first request). */
    @GET
    @Path("/{n}.png")
    @Produces({"image/png", Problem.MEDIA_TYPE})
    public Response png(@PathParam("id") String id, @PathParam("n") String n) {
        int page = page(n);
        Source source = source(id, page, false);
        try {
            if (!"application/pdf".equals(source.doc().mediaType)) {
                // Images (and TIFF frames) are small: rendered on request, scaled to the configured size.
                int frames = renderer.pageCount(source.pdf(), source.doc().mediaType);
                if (page > frames) {
                    throw new ApiException(
                            404,
                            "page " + page + " does not exist; the image has " + frames + " page"
                                    + (frames == 1 ? "" : "s"));
                }
                byte[] bytes = renderer.renderPng(
                        source.pdf(), source.doc().mediaType, page, config.dpi(), config.maxPixels());
                return Response.ok(bytes, "image/png")
                        .header("Cache-Control", "private, max-age=86400")
                        .build();
            }
            java.nio.file.Path png = images.png(source.doc().sha256, source.pdf(), page);
            return Response.ok(png.toFile(), "image/png")
                    .header("Content-Length", Files.size(png))
                    .header("Cache-Control", "private, max-age=86400")
                    .header("ETag", "\"" + source.doc().sha256.substring(0, 16) + "-" + page + "\"")
                    .build();
        } catch (PageImages.PageOutOfRangeException e) {
            throw new ApiException(404, e.getMessage());
        } catch (ApiException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            LOG.warnf(e, "Rendering page %d of document %s failed", page, id);
            throw new ApiException(
                    422, "page " + page + " of " + source.doc().filename + " cannot be rendered: " + e.getMessage());
        }
    }

    /** Boxes a quoted passage covers on the page (fractions of the page image, origin top left). */
    public record HighlightView(int page, boolean found, List<QuoteBoxes.Box> boxes) {}

    @GET
    @Path("/{n}/highlight")
    @Produces(MediaType.APPLICATION_JSON)
    public HighlightView highlight(
            @PathParam("id") String id, @PathParam("n") String n, @QueryParam("quote") String quote) {
        int page = page(n);
        if (quote == null || quote.isBlank()) {
            throw ApiException.badRequest("query parameter quote must not be blank");
        }
        Source source = source(id, page, true);
        String q = quote.length() > MAX_QUOTE ? quote.substring(0, MAX_QUOTE) : quote;
        try {
            List<QuoteBoxes.Box> boxes = QuoteBoxes.find(source.pdf(), page, q);
            return new HighlightView(page, !boxes.isEmpty(), boxes);
        } catch (PageImages.PageOutOfRangeException e) {
            throw new ApiException(404, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warnf(e, "Locating a quote on page %d of document %s failed", page, id);
            throw new ApiException(
                    422,
                    "the text of page " + page + " of " + source.doc().filename + " cannot be read: " + e.getMessage());
        }
    }

    private record Source(DocumentEntity doc, java.nio.file.Path pdf) {}

    private Source source(String id, int page, boolean pdfOnly) {
        UUID docId = Ids.parse("document", id);
        Principal p = access.principal();
        DocumentEntity d = db.read(() -> DocumentEntity.<DocumentEntity>findById(docId));
        if (d == null) {
            throw ApiException.notFound("document", id);
        }
        Access.requireDocumentFile(p, d.collectionId, docId, () -> ApiException.notFound("document", id));
        boolean pdf = "application/pdf".equals(d.mediaType);
        if (pdfOnly ? !pdf : !dev.omnirag.media.PageRenderer.canRender(d.mediaType)) {
            throw new ApiException(
                    404,
                    "document " + id + " (" + d.filename + ", " + d.mediaType + ") has no "
                            + (pdfOnly
                                    ? "text positions: quotes are located on PDF pages only"
                                    : "page images: pages are rendered for PDF and image documents only")
                            + "; use /v1/documents/" + id + "/content for the original");
        }
        if (d.pageCount != null && page > d.pageCount) {
            throw new ApiException(
                    404,
                    "page " + page + " does not exist; the document has " + d.pageCount + " page"
                            + (d.pageCount == 1 ? "" : "s"));
        }
        java.nio.file.Path blob = blobs.path(d.sha256);
        if (!Files.exists(blob)) {
            throw new ApiException(410, "the original file of document " + id + " is missing from the blob store");
        }
        return new Source(d, blob);
    }

    private static int page(String n) {
        try {
            int page = Integer.parseInt(n);
            if (page >= 1) {
                return page;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new ApiException(404, "page must be a number from 1; page=" + n);
    }
}
