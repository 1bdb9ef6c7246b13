package dev.omnirag.server;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/** Helpers shared by the API tests: the shared test data, collections, uploads and waiting for jobs. */
public final class TestSupport {

    private TestSupport() {}

    /** A file under the project's read-only {@code shared/} folder (beside the repository root). */
    public static Path shared(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("test data shared/" + relative + " not found above "
                + Path.of("").toAbsolutePath());
    }

    /** Creates a collection with a unique name; returns its id. */
    public static String createCollection(String prefix) {
        return given().contentType(ContentType.JSON)
                .body("{\"name\": \"" + prefix + "-"
                        + UUID.randomUUID().toString().substring(0, 8) + "\"}")
                .post("/v1/collections")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** Uploads a file; returns the response body (documentId, jobId, ...). */
    public static JsonPath upload(String collectionId, Path file, int expectedStatus) {
        return given().multiPart("file", file.toFile())
                .post("/v1/collections/" + collectionId + "/documents")
                .then()
                .statusCode(expectedStatus)
                .extract()
                .jsonPath();
    }

    /** Polls the job until it succeeds or fails; returns its final state. */
    public static JsonPath awaitJob(String jobId) {
        return org.awaitility.Awaitility.await("job " + jobId + " finished")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> given().get("/v1/jobs/" + jobId)
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath(),
                        job -> job.getString("status").equals("succeeded")
                                || job.getString("status").equals("failed"));
    }

    /** Uploads and waits; returns the final job. */
    public static JsonPath ingest(String collectionId, Path file) {
        String jobId = upload(collectionId, file, 202).getString("jobId");
        return awaitJob(jobId);
    }

    /** Asks {@code question} in the collection (extractive unless configured); expects 200, returns the answer. */
    public static JsonPath ask(String collectionId, String question) {
        return given().contentType(ContentType.JSON)
                .body(java.util.Map.of("question", question))
                .post("/v1/collections/" + collectionId + "/ask")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** A count query's answer, its one parameter a collection's id. */
    public static long count(io.vertx.mutiny.sqlclient.Pool pool, String sql, String collection) {
        return pool.preparedQuery(sql)
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(UUID.fromString(collection)))
                .await()
                .atMost(Duration.ofSeconds(30))
                .iterator()
                .next()
                .getLong(0);
    }
}
