package dev.omnirag.server;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class HealthAndMetricsTest {

    @Test
    void readinessCoversDatabaseAndIndex() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("index"))
                .body("checks.find { it.name.contains('Reactive PostgreSQL') || it.name.contains('database') }.status",
                        equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void prometheusMetricsIncludeIngestSearchAndEmbedder() {
        String collection = TestSupport.createCollection("metrics");
        given().contentType(ContentType.JSON).body(Map.of("query", "anything", "mode", "vector"))
                .post("/v1/collections/" + collection + "/search").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("omnirag_search_latency_seconds_bucket"))
                .body(containsString("omnirag_embedder_batch_seconds"))
                .body(containsString("omnirag_documents_ingested_total"))
                .body(containsString("omnirag_chunks_indexed_total"))
                .body(containsString("omnirag_ingest_duration_seconds"));
    }
}
