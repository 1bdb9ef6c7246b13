package dev.omnirag.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.omnirag.server.ingest.BlobSweeper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Text the server stores (file names, collection and key names, descriptions, metadata) with characters PostgreSQL
 * cannot hold gets 400 naming the field, and leaves no original file behind; two identical uploads at the same
 * moment give one document, the second reported as its duplicate; original files nothing refers to are swept.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class StoredTextTest {

    private static final Path BLOBS = PostgresTestResource.HOME.resolve("blobs");

    @Inject
    BlobSweeper sweeper;

    @Test
    void aNulInAFileNameGets400NamingItAndStoresNothing() throws IOException {
        String collection = TestSupport.createCollection("nul-names");
        String content = "A note whose name has a NUL in it " + UUID.randomUUID();
        long before = blobCount();
        Response r = given().multiPart("file", "a\u0000b.txt", content.getBytes(StandardCharsets.UTF_8), "text/plain")
                .post("/v1/collections/" + collection + "/documents");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.jsonPath().getString("detail"))
                .contains("filename")
                .contains("U+0000")
                .doesNotContainIgnoringCase("insert");
        assertThat(blobCount()).as("original files after the refused upload").isEqualTo(before);
    }

    @Test
    void aNulInANameDescriptionOrMetadataGets400NamingTheField() {
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "bad\u0000name"))
                .post("/v1/collections")
                .then()
                .statusCode(400)
                .body("detail", containsString("name"))
                .body("detail", not(containsString("SQL")));
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "ok-" + UUID.randomUUID(), "description", "a\u0000b"))
                .post("/v1/collections")
                .then()
                .statusCode(400)
                .body("detail", containsString("description"));
        String collection = TestSupport.createCollection("nul-patch");
        given().contentType(ContentType.JSON)
                .body(Map.of("description", "x\u0000"))
                .patch("/v1/collections/" + collection)
                .then()
                .statusCode(400)
                .body("detail", containsString("description"));
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "key\u0000"))
                .post("/v1/keys")
                .then()
                .statusCode(400)
                .body("detail", containsString("name"));
        given().multiPart("file", "m.txt", "metadata with a NUL".getBytes(StandardCharsets.UTF_8), "text/plain")
                .multiPart("metadata", "{\"team\":\"a\\u0000b\"}")
                .post("/v1/collections/" + collection + "/documents")
                .then()
                .statusCode(400)
                .body("detail", containsString("metadata value of 'team'"));
    }

    @Test
    void twoIdenticalUploadsAtTheSameMomentGiveOneDocument() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 6; round++) {
                String collection = TestSupport.createCollection("same-moment");
                byte[] bytes = ("The same note, uploaded twice at once, round " + round + " " + UUID.randomUUID())
                        .getBytes(StandardCharsets.UTF_8);
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<Response>> both = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    both.add(pool.submit(() -> {
                        together.await();
                        return given().multiPart("file", "same.txt", bytes, "text/plain")
                                .post("/v1/collections/" + collection + "/documents");
                    }));
                }
                Response first = both.get(0).get();
                Response second = both.get(1).get();
                assertThat(first.statusCode()).as(first.asString()).isIn(200, 202);
                assertThat(second.statusCode()).as(second.asString()).isIn(200, 202);
                assertThat(first.jsonPath().getString("documentId"))
                        .isEqualTo(second.jsonPath().getString("documentId"));
                assertThat(List.of(
                                first.jsonPath().getBoolean("duplicate"),
                                second.jsonPath().getBoolean("duplicate")))
                        .containsExactlyInAnyOrder(true, false);
                given().get("/v1/collections/" + collection + "/documents")
                        .then()
                        .statusCode(200)
                        .body("documents.size()", org.hamcrest.Matchers.equalTo(1));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void originalFilesNoDocumentRefersToAreSweptAndOthersKept() throws Exception {
        String collection = TestSupport.createCollection("sweep");
        String docId = TestSupport.ingest(
                        collection,
                        Files.writeString(Files.createTempFile("kept", ".txt"), "A kept note " + UUID.randomUUID()))
                .getString("documentId");
        String sha = given().get("/v1/documents/" + docId)
                .then()
                .statusCode(200)
                .extract()
                .path("sha256");
        Path kept = BLOBS.resolve(sha.substring(0, 2)).resolve(sha);
        assertThat(kept).exists();
        String orphanSha = "0f" + "e".repeat(62);
        Path orphan = Files.createDirectories(BLOBS.resolve("0f")).resolve(orphanSha);
        Files.writeString(orphan, "an upload whose row was never written");
        Path temp = Files.writeString(BLOBS.resolve("upload-123.tmp"), "an interrupted copy");
        Path fresh =
                Files.writeString(Files.createDirectories(BLOBS.resolve("0e")).resolve("0e" + "d".repeat(62)), "new");
        FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
        for (Path p : List.of(orphan, temp, kept)) {
            Files.setLastModifiedTime(p, old);
        }
        int removed = sweeper.sweep(Instant.now().minusSeconds(600));
        assertThat(removed).isGreaterThanOrEqualTo(2);
        assertThat(orphan).doesNotExist();
        assertThat(temp).doesNotExist();
        assertThat(kept).as("a blob a document refers to").exists();
        assertThat(fresh).as("a blob younger than the grace period").exists();
        Files.delete(fresh);
    }

    private static long blobCount() throws IOException {
        if (!Files.exists(BLOBS)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(BLOBS)) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
