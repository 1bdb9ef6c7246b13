package dev.omnirag.server.llm;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A rerank server configured by keys alone ({@code omnirag.reranker.remote.url}, {@code .model}; the fake server's
 * {@code /v1/rerank}, as vLLM serves it): searches and {@code /v1/rerank} use it when asked for by name.
 */
@QuarkusTest
@TestProfile(LlmProfile.class)
@Tag("llm")
class RemoteRerankTest {

    @Test
    void searchesRerankedByTheRemoteServerSayWhichRerankerRan() {
        String collection = LlmTests.traceMonkey();
        JsonPath r = given().contentType(ContentType.JSON)
                .body(Map.of("query", "nested trace trees speedup", "rerank", "remote", "k", 5))
                .post("/v1/collections/" + collection + "/search")
                .then()
                .statusCode(200)
                .body("rerank", equalTo("remote"))
                .extract()
                .jsonPath();
        assertThat(r.getList("results")).hasSize(5);
        List<Float> scores = r.getList("results.score", Float.class);
        for (int i = 1; i < scores.size(); i++) {
            assertThat(scores.get(i)).isLessThanOrEqualTo(scores.get(i - 1));
        }
        assertThat(FakeLlmResource.server().requests().stream()
                        .anyMatch(q -> q.path("model").asText().equals("fake-reranker")
                                && q.path("query").asText().equals("nested trace trees speedup")))
                .isTrue();
    }

    @Test
    void theRerankEndpointServesTheRemoteRerankerByName() {
        given().contentType(ContentType.JSON)
                .body(Map.of("model", "remote", "query", "wing drag", "documents", List.of("a cat", "wing drag data")))
                .post("/v1/rerank")
                .then()
                .statusCode(200)
                .body("results[0].index", equalTo(1))
                .body("model", equalTo("remote"));
    }

    @Test
    void capabilitiesListTheConfiguredRerankersAndGenerator() {
        given().get("/v1/capabilities")
                .then()
                .statusCode(200)
                .body("rerankers", org.hamcrest.Matchers.contains("none", "local", "mllm", "remote"))
                .body("generator", org.hamcrest.Matchers.startsWith("openai:"));
    }

    @Test
    void aVendorModelNameAliasedInConfigurationReachesItsReranker() {
        // Cohere's v2 client sends its own model name; omnirag.reranker.model-aliases maps it.
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "model",
                        "rerank-english-v3.0",
                        "query",
                        "wing drag",
                        "documents",
                        List.of("a cat", "wing drag data")))
                .post("/v2/rerank")
                .then()
                .statusCode(200)
                .body("results[0].index", equalTo(1))
                .body("model", equalTo("rerank-english-v3.0"))
                .body("meta.api_version.version", equalTo("2"));
    }
}
