package dev.omnirag.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several files in one upload request: each becomes its own document and job, a refused file is listed with its
 * reason while the others are queued, and the same bytes twice give one document.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class BulkUploadTest {

    @Test
    void eachFileOfOneRequestIsItsOwnSearchableDocument(@TempDir Path tmp) throws Exception {
        String collection = TestSupport.createCollection("bulk");
        Path wings = Files.writeString(tmp.resolve("wings.txt"), "Swept wings delay the drag rise near Mach one.");
        Path flutter =
                Files.writeString(tmp.resolve("flutter.md"), "# Flutter\n\nPanel flutter grows with dynamic pressure.");
        Path heat = Files.writeString(tmp.resolve("heat.txt"), "Stagnation point heat transfer on a blunt body.");
        Path binary =
                Files.write(tmp.resolve("blob.bin"), new byte[] {0, 1, 2, 3, (byte) 0xff, (byte) 0xfe, 0, 7, 9, 11});
        Path again = Files.copy(wings, tmp.resolve("wings-copy.txt"));

        JsonPath answer = given().multiPart("file", wings.toFile())
                .multiPart("file", flutter.toFile())
                .multiPart("file", binary.toFile())
                .multiPart("file", heat.toFile())
                .multiPart("file", again.toFile())
                .multiPart("metadata", "{\"team\": \"aero\"}")
                .post("/v1/collections/" + collection + "/documents")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath();

        List<Map<String, Object>> docs = answer.getList("documents");
        assertThat(docs).hasSize(5);
        assertThat(docs.get(2)).containsEntry("filename", "blob.bin").containsEntry("status", 415);
        assertThat((String) docs.get(2).get("error")).contains("unsupported media type");
        assertThat(docs.get(4))
                .containsEntry("duplicate", true)
                .containsEntry("documentId", docs.get(0).get("documentId"));
        for (int i : new int[] {0, 1, 3}) {
            assertThat(docs.get(i)).containsEntry("duplicate", false).containsEntry("status", "processing");
            JsonPath job = TestSupport.awaitJob((String) docs.get(i).get("jobId"));
            assertThat(job.getString("status"))
                    .as("job of file %d: %s", i, job.getString("error"))
                    .isEqualTo("succeeded");
        }
        List<String> names = given().get("/v1/collections/" + collection + "/documents")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("documents.filename");
        assertThat(names).containsExactlyInAnyOrder("wings.txt", "flutter.md", "heat.txt");

        List<String> found = given().contentType(ContentType.JSON)
                .body(Map.of(
                        "query",
                        "panel flutter dynamic pressure",
                        "k",
                        1,
                        "filter",
                        Map.of("metadata", Map.of("team", "aero"))))
                .post("/v1/collections/" + collection + "/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("results.filename");
        assertThat(found).containsExactly("flutter.md");
    }

    @Test
    void aRequestOfOnlyDuplicatesIsAnsweredWith200(@TempDir Path tmp) throws Exception {
        String collection = TestSupport.createCollection("bulk-dup");
        Path a = Files.writeString(tmp.resolve("a.txt"), "Boundary layer transition on a flat plate.");
        Path b = Files.writeString(tmp.resolve("b.txt"), "Shock wave boundary layer interaction.");
        TestSupport.ingest(collection, a);
        TestSupport.ingest(collection, b);
        List<Boolean> duplicates = given().multiPart("file", a.toFile())
                .multiPart("file", b.toFile())
                .post("/v1/collections/" + collection + "/documents")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("documents.duplicate");
        assertThat(duplicates).containsExactly(true, true);
    }
}
