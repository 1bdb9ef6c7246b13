package dev.omnirag.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The default configuration (extractive generator, no model server): verified-by-construction citations and the
 * grounded ratio, local reranking, RAG chat completions answered extractively, no pass-through model.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExtractiveChatAndRerankTest {

    private String collection;
    private String name;

    @BeforeEach
    void ingestNotes() throws IOException {
        if (collection != null) {
            return;
        }
        collection = TestSupport.createCollection("notes");
        name = given().get("/v1/collections/" + collection).then().extract().path("name");
        Path dir = Files.createTempDirectory("omnirag-notes");
        Map<String, String> notes = Map.of(
                "wings.txt",
                        "Swept wings delay the drag rise at transonic speed. Engineers sweep the wings of airliners "
                                + "back by about thirty degrees for that reason.",
                "flutter.txt",
                        "Flutter is a dynamic instability of an elastic structure in a fluid flow. It can destroy "
                                + "a wing within seconds when the airspeed passes the flutter speed.",
                "bread.txt",
                        "Knead the bread dough for ten minutes until it is smooth and elastic, then let it rise "
                                + "in a warm place for an hour.");
        for (Map.Entry<String, String> n : notes.entrySet()) {
            JsonPath job = TestSupport.ingest(collection, Files.writeString(dir.resolve(n.getKey()), n.getValue()));
            assertThat(job.getString("status")).isEqualTo("succeeded");
        }
    }

    @Test
    void extractiveAnswersAreVerifiedByConstructionAndFullyGrounded() {
        JsonPath answer = given().contentType(ContentType.JSON)
                .body(Map.of("question", "What is flutter?"))
                .post("/v1/collections/" + collection + "/ask")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(answer.getString("generator")).isEqualTo("extractive");
        assertThat(answer.getString("rerank")).isEqualTo("none");
        assertThat(answer.getList("citations.verified")).isNotEmpty().containsOnly(true);
        assertThat(answer.getString("citations[0].claim")).isEqualTo(answer.getString("citations[0].quote"));
        assertThat(answer.getDouble("grounded")).isEqualTo(1.0);
    }

    @Test
    void searchAndAskTakeTheLocalReranker() {
        JsonPath search = given().contentType(ContentType.JSON)
                .body(Map.of("query", "why are airliner wings swept back", "k", 2, "rerank", "local"))
                .post("/v1/collections/" + collection + "/search")
                .then()
                .statusCode(200)
                .body("rerank", equalTo("local"))
                .extract()
                .jsonPath();
        assertThat(search.getString("results[0].filename")).isEqualTo("wings.txt");
        assertThat(search.getList("results")).hasSize(2);
        assertThat(search.getDouble("results[0].score")).isGreaterThanOrEqualTo(search.getDouble("results[1].score"));
        given().contentType(ContentType.JSON)
                .body(Map.of("question", "What is flutter?", "rerank", "local"))
                .post("/v1/collections/" + collection + "/ask")
                .then()
                .statusCode(200)
                .body("rerank", equalTo("local"));
    }

    @Test
    void searchWithVectorFeedbackSaysSoAndStillRanksTheAnsweringChunkFirst() {
        JsonPath withFeedback = given().contentType(ContentType.JSON)
                .body(Map.of("query", "why are airliner wings swept back", "k", 2, "feedback", true, "rerank", "local"))
                .post("/v1/collections/" + collection + "/search")
                .then()
                .statusCode(200)
                .body("feedback", equalTo(true))
                .body("rerank", equalTo("local"))
                .extract()
                .jsonPath();
        assertThat(withFeedback.getString("results[0].filename")).isEqualTo("wings.txt");
        assertThat(withFeedback.getList("results")).hasSize(2);
        given().contentType(ContentType.JSON)
                .body(Map.of("query", "why are airliner wings swept back"))
                .post("/v1/collections/" + collection + "/search")
                .then()
                .statusCode(200)
                .body("feedback", equalTo(false));
        // Keyword search has no query vector to move: one pass, still a normal answer.
        given().contentType(ContentType.JSON)
                .body(Map.of("query", "flutter", "mode", "keyword", "feedback", true))
                .post("/v1/collections/" + collection + "/search")
                .then()
                .statusCode(200)
                .body("results[0].filename", equalTo("flutter.txt"));
        given().contentType(ContentType.JSON)
                .body(Map.of("query", "flutter", "feedback", "maybe"))
                .post("/v1/collections/" + collection + "/search")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("'feedback'"));
    }

    @Test
    void mllmRerankingWithoutAConfiguredModelIsABadRequest() {
        given().contentType(ContentType.JSON)
                .body(Map.of("query", "wings", "rerank", "mllm"))
                .post("/v1/collections/" + collection + "/search")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("omnirag.reranker.mllm.base-url"));
    }

    @Test
    void ragChatIsAnsweredExtractivelyWithLinkedCitations() {
        JsonPath r = given().contentType(ContentType.JSON)
                .body(Map.of(
                        "model",
                        "omnirag:" + name,
                        "messages",
                        List.of(Map.of("role", "user", "content", "What is flutter?"))))
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(r.getString("choices[0].message.content"))
                .contains("[[1]](http")
                .contains("/content");
        assertThat(r.getString("citations[0].filename")).isEqualTo("flutter.txt");
        assertThat(r.getString("omnirag.generator")).isEqualTo("extractive");
    }

    @Test
    void withoutAGeneratorServerOtherModelsDoNotExist() {
        given().contentType(ContentType.JSON)
                .body(Map.of("model", "gpt-4o", "messages", List.of(Map.of("role", "user", "content", "hi"))))
                .post("/v1/chat/completions")
                .then()
                .statusCode(404)
                .body("detail", containsString("no generator model configured"));
        given().get("/v1/models").then().statusCode(200).body("data.owned_by", not(hasItem("generator")));
    }

    @Test
    void rerankEndpointScoresDocumentsByTheirBestSentence() {
        JsonPath r = given().contentType(ContentType.JSON)
                .body(Map.of(
                        "query",
                        "What destroys wings in seconds?",
                        "documents",
                        List.of("Bread rises in a warm place.", "Flutter can destroy a wing within seconds."),
                        "return_documents",
                        true))
                .post("/v1/rerank")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(r.getList("results.index")).containsExactly(1, 0);
        assertThat(r.getString("results[0].document.text")).startsWith("Flutter");
        given().contentType(ContentType.JSON)
                .body(Map.of("query", "q", "documents", List.of("a"), "model", "mllm"))
                .post("/v1/rerank")
                .then()
                .statusCode(400)
                .body("detail", containsString("not available"));
        given().contentType(ContentType.JSON)
                .body(Map.of("query", " ", "documents", List.of("a")))
                .post("/v1/rerank")
                .then()
                .statusCode(400)
                .body("detail", equalTo("query must not be blank"));
    }

    @Test
    void capabilitiesSayWhatThisServerCanDo() {
        JsonPath c =
                given().get("/v1/capabilities").then().statusCode(200).extract().jsonPath();
        assertThat(c.getString("fileTypes")).contains("PDF").contains("Word");
        assertThat(c.getList("modalities")).contains("text");
        assertThat(c.getString("embedder")).isEqualTo("bge-small-en-v1.5-int8");
        assertThat(c.getString("generator")).isEqualTo("extractive");
        assertThat(c.getList("rerankers")).containsExactly("none", "local");
        assertThat(c.getList("profiles")).containsExactly("fast", "quality");
    }

    @Test
    void rerankAnswersInCohereV1AndV2AndJinaShapes() {
        Map<String, Object> body = Map.of(
                "query",
                "What destroys wings in seconds?",
                "documents",
                List.of("Bread rises in a warm place.", "Flutter can destroy a wing within seconds."),
                "top_n",
                1);
        JsonPath v1 = given().contentType(ContentType.JSON)
                .body(body)
                .post("/v1/rerank")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(v1.getList("results.index")).containsExactly(1);
        assertThat(v1.getString("meta.api_version.version")).isEqualTo("1");
        assertThat(v1.getInt("meta.billed_units.search_units")).isEqualTo(1);
        assertThat(v1.getInt("usage.total_tokens")).isPositive();
        assertThat(v1.getString("results[0].document")).isNull();
        JsonPath v2 = given().contentType(ContentType.JSON)
                .body(body)
                .post("/v2/rerank")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(v2.getList("results.index")).containsExactly(1);
        assertThat(v2.getString("meta.api_version.version")).isEqualTo("2");
        given().contentType(ContentType.JSON)
                .body(Map.of("query", "q", "documents", List.of("a"), "model", "rerank-english-v3.0"))
                .post("/v2/rerank")
                .then()
                .statusCode(404)
                .body("error.code", equalTo("model_not_found"))
                .body("detail", containsString("model-aliases"));
    }
}
