package dev.omnirag.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.omnirag.index.IndexedChunk;
import dev.omnirag.index.VectorIndex;
import dev.omnirag.server.db.CollectionEntity;
import dev.omnirag.server.db.Db;
import dev.omnirag.server.ingest.IndexReconciler;
import dev.omnirag.server.search.CollectionIndexes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reconciling an index with the database, as start-up does after a crash: with real PostgreSQL, Lucene and the
 * ONNX embedder, the index is damaged the ways a crash can damage it and {@link IndexReconciler} must repair it.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class IndexReconcileTest {

    @Inject
    IndexReconciler reconciler;

    @Inject
    CollectionIndexes indexes;

    @Inject
    Db db;

    @TempDir
    Path dir;

    @Test
    void removesOrphanChunksAndRequeuesDocumentsWhoseChunksAreMissingOrExtra() throws Exception {
        String collection = TestSupport.createCollection("reconcile");
        String lost = ingest(collection, "lost.md", 12);
        String extra = ingest(collection, "extra.md", 3);
        String intact = ingest(collection, "intact.md", 5);
        JsonPath failedJob = TestSupport.ingest(collection, TestSupport.shared("media/bad/empty_protected.pdf"));
        assertThat(failedJob.getString("status")).isEqualTo("failed");
        String failed = failedJob.getString("documentId");
        CollectionEntity entity =
                db.read(() -> CollectionEntity.<CollectionEntity>findById(UUID.fromString(collection)));
        VectorIndex index = indexes.get(entity);
        int lostChunks = chunkCount(lost);
        int extraChunks = chunkCount(extra);
        int intactChunks = chunkCount(intact);
        assertThat(lostChunks).isGreaterThan(1);
        assertThat(index.documentChunkCounts()).doesNotContainKey(failed);

        // What a crash can leave: chunks of a deleted document and of a failed one, a ready document whose
        // chunks are gone, and one with a chunk too many.
        String deleted = UUID.randomUUID().toString();
        index.upsert(List.of(
                chunk(index, deleted + ":v1:0", deleted),
                chunk(index, deleted + ":v1:1", deleted),
                chunk(index, failed + ":v1:0", failed),
                chunk(index, extra + ":v1:" + extraChunks, extra)));
        index.deleteDocument(lost);
        index.commit();

        IndexReconciler.Result result = reconciler.reconcile(entity);

        assertThat(result.orphanDocuments()).isEqualTo(2);
        assertThat(result.orphanChunks()).isEqualTo(3);
        assertThat(result.requeued()).isEqualTo(2);
        assertThat(index.countDocument(deleted)).isZero();
        assertThat(index.countDocument(failed)).isZero();
        assertThat(index.countDocument(intact)).isEqualTo(intactChunks);
        // The re-queued documents are ingested again from their stored originals.
        awaitReady(lost);
        awaitReady(extra);
        assertThat(index.documentChunkCounts())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(lost, (long) lostChunks, extra, (long) extraChunks, intact, (long) intactChunks));
        assertThat(chunkCount(lost)).isEqualTo(lostChunks);
        assertThat(reconciler.reconcile(entity).clean()).isTrue();
    }

    @Test
    void dropsTheIndexOfACollectionThatNoLongerExists() {
        UUID gone = UUID.randomUUID();
        VectorIndex index = indexes.get(gone, 384);
        index.upsert(List.of(chunk(index, gone + ":v1:0", UUID.randomUUID().toString())));
        index.commit();
        String kept = TestSupport.createCollection("kept");
        CollectionEntity entity = db.read(() -> CollectionEntity.<CollectionEntity>findById(UUID.fromString(kept)));
        indexes.get(entity);
        assertThat(indexes.stored()).contains(gone, entity.id);

        reconciler.reconcileAll();

        assertThat(indexes.stored()).doesNotContain(gone).contains(entity.id);
    }

    private String ingest(String collection, String name, int paragraphs) throws Exception {
        StringBuilder text = new StringBuilder("# " + name + "\n\n");
        for (int i = 0; i < paragraphs; i++) {
            text.append("Paragraph ")
                    .append(i)
                    .append(" of ")
                    .append(name)
                    .append(" describes the boundary layer of a ")
                    .append("swept wing at Mach ")
                    .append(i % 3 + 1)
                    .append(", where the pressure gradient and the ")
                    .append("shock wave interact with the laminar flow near the leading edge of the airfoil. ")
                    .append("Wind tunnel measurements of heat transfer and skin friction agree with the theory. ")
                    .append("The results are compared with earlier experiments on cones and flat plates.\n\n");
        }
        Path file = Files.writeString(dir.resolve(name), text);
        JsonPath job = TestSupport.ingest(collection, file);
        assertThat(job.getString("status"))
                .as("job error: %s", job.getString("error"))
                .isEqualTo("succeeded");
        return job.getString("documentId");
    }

    private static int chunkCount(String documentId) {
        return given().get("/v1/documents/" + documentId)
                .then()
                .statusCode(200)
                .extract()
                .path("chunkCount");
    }

    private static void awaitReady(String documentId) throws InterruptedException {
        Awaitility.await("document " + documentId + " ingested again")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> given().get("/v1/documents/" + documentId)
                                .then()
                                .statusCode(200)
                                .extract()
                                .<String>path("status"),
                        status -> {
                            assertThat(status).isNotEqualTo("failed");
                            return status.equals("ready");
                        });
    }

    private static IndexedChunk chunk(VectorIndex index, String chunkId, String documentId) {
        float[] vector = new float[index.dimensions()];
        vector[0] = 1;
        return new IndexedChunk(
                chunkId,
                documentId,
                "stale.md",
                "text/markdown",
                "stale text of a crashed run",
                vector,
                null,
                Map.of());
    }
}
