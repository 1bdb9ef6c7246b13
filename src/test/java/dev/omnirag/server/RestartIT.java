package dev.omnirag.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the packaged server as a real process with its default embedded database, writes data, stops it
 * (SIGTERM) and starts it again: collections, documents and search results must be the same afterwards.
 */
class RestartIT {

    @RegisterExtension
    final PackagedServers servers = new PackagedServers("restart-it-home");

    private PackagedServer server;

    @Test
    void collectionsDocumentsAndResultsSurviveARestart() throws Exception {
        Path notes = Files.writeString(
                servers.home().resolve("wind-tunnel.txt"),
                "The wind tunnel tests showed that the swept wing delays the drag rise. "
                        + "Vortex generators on the upper surface kept the flow attached at high angles of attack.");

        start();
        String collection = api().contentType(ContentType.JSON)
                .body(Map.of("name", "restart-check"))
                .post("/v1/collections")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        JsonPath upload = api().multiPart("file", notes.toFile())
                .post("/v1/collections/" + collection + "/documents")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath();
        String documentId = upload.getString("documentId");
        awaitSucceeded(upload.getString("jobId"));
        List<String> before = search(collection);
        assertThat(before).isNotEmpty();
        stopGracefully();

        start();
        api().get("/v1/collections/" + collection).then().statusCode(200);
        api().get("/v1/documents/" + documentId)
                .then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("ready"));
        assertThat(search(collection)).isEqualTo(before);
        // Uploading the same bytes again is still recognised as a duplicate after the restart.
        api().multiPart("file", notes.toFile())
                .post("/v1/collections/" + collection + "/documents")
                .then()
                .statusCode(200)
                .body("duplicate", org.hamcrest.Matchers.equalTo(true));
        stopGracefully();
    }

    private List<String> search(String collection) {
        return api().contentType(ContentType.JSON)
                .body(Map.of("query", "drag rise of a swept wing", "k", 5))
                .post("/v1/collections/" + collection + "/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("results.chunkId");
    }

    private void awaitSucceeded(String jobId) throws InterruptedException {
        Awaitility.await("job " + jobId + " succeeded")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> api().get("/v1/jobs/" + jobId)
                                .then()
                                .statusCode(200)
                                .extract()
                                .<String>path("status"),
                        status -> {
                            assertThat(status).isNotEqualTo("failed");
                            return status.equals("succeeded");
                        });
    }

    private RequestSpecification api() {
        return server.api();
    }

    private void start() throws IOException, InterruptedException {
        server = servers.start();
    }

    private void stopGracefully() throws InterruptedException {
        assertThat(server.stop()).isTrue();
        // The embedded PostgreSQL was stopped with the server.
        assertThat(Files.exists(servers.home().resolve("postgres/data/postmaster.pid")))
                .isFalse();
    }
}
