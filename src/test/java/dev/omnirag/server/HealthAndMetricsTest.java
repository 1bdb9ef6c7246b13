package dev.omnirag.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import dev.omnirag.server.health.RuntimeHealthCheck;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class HealthAndMetricsTest {

    @Test
    void readinessCoversDatabaseAndIndex() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("index", "runtime"))
                .body(
                        "checks.find { it.name.contains('Reactive PostgreSQL') || it.name.contains('database') }.status",
                        equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void prometheusMetricsIncludeIngestSearchAndEmbedder() {
        String collection = TestSupport.createCollection("metrics");
        given().contentType(ContentType.JSON)
                .body(Map.of("query", "anything", "mode", "vector"))
                .post("/v1/collections/" + collection + "/search")
                .then()
                .statusCode(200);
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("omnirag_search_latency_seconds_bucket"))
                .body(containsString("omnirag_embedder_batch_seconds"))
                .body(containsString("omnirag_documents_ingested_total"))
                .body(containsString("omnirag_chunks_indexed_total"))
                .body(containsString("omnirag_ingest_duration_seconds"));
    }

    @Inject
    @Readiness
    RuntimeHealthCheck runtime;

    @Inject
    Vertx vertx;

    @Test
    void aStuckEventLoopMakesTheServiceNotReadyUntilItAnswers() throws Exception {
        assertThat(runtime.call().await().atMost(Duration.ofSeconds(10)).getStatus())
                .isEqualTo(HealthCheckResponse.Status.UP);
        CountDownLatch release = new CountDownLatch(1);
        // An event loop that runs no tasks, as one stuck (or killed, which rejects them) after an OutOfMemoryError.
        vertx.nettyEventLoopGroup().next().execute(() -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            HealthCheckResponse down = runtime.call().await().atMost(Duration.ofSeconds(10));
            assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(down.getData().orElseThrow().get("problems").toString()).contains("event loop did not answer");
        } finally {
            release.countDown();
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        runtime.call().await().atMost(Duration.ofSeconds(10)).getStatus()
                                == HealthCheckResponse.Status.UP);
    }

    @Test
    void aStoppedIngestionWorkerMakesTheServiceNotReadyUntilItIsRestarted() throws Exception {
        Thread worker = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("omnirag-ingest-"))
                .findFirst()
                .orElseThrow();
        worker.interrupt();
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(5)).until(() -> {
            HealthCheckResponse r = runtime.call().await().atMost(Duration.ofSeconds(10));
            return r.getStatus() == HealthCheckResponse.Status.DOWN
                    && r.getData().orElseThrow().get("problems").toString().contains("ingestion worker(s) stopped");
        });
        await().atMost(Duration.ofSeconds(15))
                .until(() ->
                        runtime.call().await().atMost(Duration.ofSeconds(10)).getStatus()
                                == HealthCheckResponse.Status.UP);
        // Ingestion goes on with the restarted worker.
        String collection = TestSupport.createCollection("after-restart");
        TestSupport.ingest(
                collection,
                java.nio.file.Files.writeString(
                        java.nio.file.Files.createTempFile("after", ".txt"),
                        "Ingested by a worker restarted after its predecessor stopped."));
    }
}
