package dev.omnirag.server.search;

import dev.omnirag.index.SearchHit;
import dev.omnirag.server.db.Db;
import dev.omnirag.server.db.DocumentEntity;
import dev.omnirag.server.ingest.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The picture of an image hit as a {@code data:} URL, for vision generators and the MLLM reranker: the original
 * file of a document whose media type is {@code image/*}, read from the blob store. Other hits, missing files and
 * images over {@link #MAX_BYTES} have none. Blocking (database and file); call from worker threads.
 */
@ApplicationScoped
public class ImageSources {

    /** Larger images are not sent (a model server limits request sizes; vLLM resizes images anyway). */
    public static final long MAX_BYTES = 8L * 1024 * 1024;

    private static final Logger LOG = Logger.getLogger(ImageSources.class);

    private final Db db;
    private final BlobStore blobs;

    ImageSources(Db db, BlobStore blobs) {
        this.db = db;
        this.blobs = blobs;
    }

    /** The hit's image as a data URL, or null when it is not an image or cannot be read. */
    public String dataUrl(SearchHit hit) {
        if (hit.mediaType() == null || !hit.mediaType().startsWith("image/")) {
            return null;
        }
        UUID id;
        try {
            id = UUID.fromString(hit.documentId());
        } catch (IllegalArgumentException e) {
            return null;
        }
        DocumentEntity doc = db.read(() -> DocumentEntity.<DocumentEntity>findById(id));
        if (doc == null || doc.sha256 == null) {
            return null;
        }
        Path file = blobs.path(doc.sha256);
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
                return null;
            }
            return "data:" + hit.mediaType() + ";base64,"
                    + Base64.getEncoder().encodeToString(Files.readAllBytes(file));
        } catch (IOException e) {
            LOG.warnf("cannot read the image of document %s: %s", id, e.getMessage());
            return null;
        }
    }
}
