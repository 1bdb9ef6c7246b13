package dev.omnirag.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every damaged, encrypted or image-only PDF ends as a failed job with a reason; the server stays healthy. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class BrokenFilesTest {

    @Test
    void brokenPdfsFailWithReadableReasonsAndOtherJobsStillSucceed(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws IOException {
        String collection = TestSupport.createCollection("broken");
        List<Path> files;
        try (Stream<Path> s = Files.list(TestSupport.shared("media/bad"))) {
            files = new ArrayList<>(s.sorted().toList());
        }
        files.add(TestSupport.shared("media/pdf/personwithdog.pdf"));
        assertThat(files).hasSizeGreaterThanOrEqualTo(7);
        List<String> jobs = new ArrayList<>();
        for (Path f : files) {
            // Some fuzzed files are not even recognisable as PDF: those are refused at upload (415).
            var response = given().multiPart("file", f.toFile()).post("/v1/collections/" + collection + "/documents");
            int status = response.statusCode();
            if (status == 415) {
                assertThat(response.jsonPath().getString("detail")).isNotBlank();
                System.out.printf(
                        "%s -> 415 %s%n", f.getFileName(), response.jsonPath().getString("detail"));
                continue;
            }
            assertThat(status).as("upload of %s", f.getFileName()).isEqualTo(202);
            jobs.add(response.jsonPath().getString("jobId"));
        }
        Path good =
                Files.writeString(tmp.resolve("good.txt"), "Boundary layer transition depends on the Reynolds number.");
        String goodJob = TestSupport.upload(collection, good, 202).getString("jobId");

        for (String jobId : jobs) {
            JsonPath job = TestSupport.awaitJob(jobId);
            System.out.printf("job %s -> %s: %s%n", jobId, job.getString("status"), job.getString("error"));
            assertThat(job.getString("status")).isEqualTo("failed");
            assertThat(job.getString("error")).isNotBlank().doesNotContain("NullPointerException");
            given().get("/v1/documents/" + job.getString("documentId"))
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("failed"));
        }
        assertThat(TestSupport.awaitJob(goodJob).getString("status")).isEqualTo("succeeded");
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void encryptedPdfSaysItIsEncrypted() {
        String collection = TestSupport.createCollection("encrypted");
        JsonPath job = TestSupport.ingest(collection, TestSupport.shared("media/bad/empty_protected.pdf"));
        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getString("error")).containsIgnoringCase("encrypted");
    }
}
