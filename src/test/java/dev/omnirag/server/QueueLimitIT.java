package dev.omnirag.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The durable queue's bound, on the packaged server: an instance without workers queues uploads until
 * {@code omnirag.ingest.max-queued-jobs} are waiting, then answers 503 with Retry-After and stores nothing of the
 * refused upload; restarted with a worker, it ingests every queued upload.
 */
class QueueLimitIT {

    @RegisterExtension
    final PackagedServers servers = new PackagedServers("queue-limit-it-home");

    private PackagedServer server;

    @Test
    void fullQueueAnswers503WithRetryAfterAndLosesNothing() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            files.add(Files.writeString(
                    servers.home().resolve("report-" + i + ".txt"),
                    "Report " + i + ": the flap deflection of run " + i + " raised the lift coefficient by " + (i + 1)
                            + " tenths."));
        }

        server = servers.start(
                servers.home().resolve("server-1.log"),
                Map.of(
                        "OMNIRAG_INGEST_WORKERS",
                        "0",
                        "OMNIRAG_INGEST_MAX_QUEUED_JOBS",
                        "3",
                        "OMNIRAG_INGEST_QUEUE_FULL_RETRY_AFTER",
                        "7s"),
                List.of());
        String collection = server.api()
                .contentType(ContentType.JSON)
                .body(Map.of("name", "queue-limit"))
                .post("/v1/collections")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            jobs.add(server.api()
                    .multiPart("file", files.get(i).toFile())
                    .post("/v1/collections/" + collection + "/documents")
                    .then()
                    .statusCode(202)
                    .body("status", equalTo("processing"))
                    .extract()
                    .path("jobId"));
        }
        long blobsBefore = blobCount();
        Response refused = server.api()
                .multiPart("file", files.get(3).toFile())
                .post("/v1/collections/" + collection + "/documents");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.header("Retry-After")).isEqualTo("7");
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.jsonPath().getString("detail"))
                .contains("queue is full")
                .contains("omnirag.ingest.max-queued-jobs");
        // Nothing of the refused upload was stored: no document row, no blob.
        server.api()
                .get("/v1/collections/" + collection + "/documents")
                .then()
                .statusCode(200)
                .body("documents.size()", equalTo(3));
        assertThat(blobCount()).isEqualTo(blobsBefore).isEqualTo(3);
        for (String job : jobs) {
            server.api().get("/v1/jobs/" + job).then().statusCode(200).body("status", equalTo("queued"));
        }
        assertThat(server.stop()).isTrue();

        // The same data with one worker: every queued upload is ingested, and the refused one can be sent again.
        server = servers.start(
                servers.home().resolve("server-2.log"), Map.of("OMNIRAG_INGEST_MAX_QUEUED_JOBS", "3"), List.of());
        for (String job : jobs) {
            awaitSucceeded(job);
        }
        String again = server.api()
                .multiPart("file", files.get(3).toFile())
                .post("/v1/collections/" + collection + "/documents")
                .then()
                .statusCode(202)
                .extract()
                .path("jobId");
        awaitSucceeded(again);
        server.api()
                .get("/v1/collections/" + collection + "/documents")
                .then()
                .statusCode(200)
                .body("documents.size()", equalTo(4))
                .body("documents.status", org.hamcrest.Matchers.everyItem(equalTo("ready")));
    }

    private long blobCount() throws java.io.IOException {
        try (Stream<Path> s = Files.walk(servers.home().resolve("blobs"))) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    private void awaitSucceeded(String jobId) throws InterruptedException {
        Awaitility.await("job " + jobId + " succeeded; see " + server.log())
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> server.api()
                                .get("/v1/jobs/" + jobId)
                                .then()
                                .statusCode(200)
                                .extract()
                                .<String>path("status"),
                        status -> {
                            assertThat(status).isNotEqualTo("failed");
                            return status.equals("succeeded");
                        });
    }
}
