package dev.omnirag.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnirag.index.Locator;
import dev.omnirag.index.SearchHit;
import dev.omnirag.server.PostgresTestResource;
import dev.omnirag.server.TestSupport;
import dev.omnirag.server.db.Db;
import dev.omnirag.server.db.DocumentEntity;
import dev.omnirag.server.ingest.BlobStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The pictures vision models get: an image document's original bytes from the blob store as a data URL. (Image
 * ingestion comes with another issue, so the document row is written here directly, as the upload would.)
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class ImageSourcesTest {

    /** The smallest valid PNG: one transparent pixel. */
    private static final byte[] PNG = Base64.getDecoder()
            .decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    @Inject
    ImageSources images;

    @Inject
    Db db;

    @Inject
    BlobStore blobs;

    private SearchHit hit(UUID documentId, String mediaType) {
        return new SearchHit(
                documentId + ":v1:0",
                documentId.toString(),
                "pixel.png",
                mediaType,
                "a pixel",
                1.0,
                Locator.NONE,
                null);
    }

    @Test
    void anImageDocumentBecomesADataUrlOfItsOriginalBytes() throws Exception {
        UUID collection = UUID.fromString(TestSupport.createCollection("images"));
        Path file = Files.createTempFile("pixel", ".png");
        Files.write(file, PNG);
        String sha = blobs.put(file);
        DocumentEntity doc = new DocumentEntity();
        doc.id = UUID.randomUUID();
        doc.collectionId = collection;
        doc.sha256 = sha;
        doc.filename = "pixel.png";
        doc.mediaType = "image/png";
        doc.sizeBytes = PNG.length;
        doc.metadata = "{}";
        doc.status = DocumentEntity.READY;
        doc.createdAt = OffsetDateTime.now();
        doc.updatedAt = doc.createdAt;
        db.tx(doc::persist);

        String url = images.dataUrl(hit(doc.id, "image/png"));

        assertThat(url).startsWith("data:image/png;base64,");
        assertThat(Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1)))
                .isEqualTo(PNG);
    }

    @Test
    void textHitsAndUnknownDocumentsHaveNoImage() {
        assertThat(images.dataUrl(hit(UUID.randomUUID(), "application/pdf"))).isNull();
        assertThat(images.dataUrl(hit(UUID.randomUUID(), "image/png"))).isNull();
    }
}
