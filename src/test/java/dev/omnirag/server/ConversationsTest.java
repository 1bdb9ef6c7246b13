package dev.omnirag.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

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
 * Conversations kept on the server: asking within one appends turns (with the citations as answered), the first
 * question names it, it is listed newest first and found by title, renamed, rated and deleted; bad input gets a
 * clear 400 and what does not exist a 404.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConversationsTest {

    private String collection;

    @BeforeEach
    void ingestNotes() throws IOException {
        if (collection != null) {
            return;
        }
        collection = TestSupport.createCollection("conversations");
        Path dir = Files.createTempDirectory("omnirag-conversations");
        Files.writeString(
                dir.resolve("flutter.txt"),
                "Flutter is a dynamic instability of an elastic structure in a "
                        + "fluid flow. It can destroy a wing within seconds when the airspeed passes the flutter speed.");
        Files.writeString(
                dir.resolve("wings.txt"),
                "Swept wings delay the drag rise at transonic speed. Engineers sweep "
                        + "the wings of airliners back by about thirty degrees for that reason.");
        for (String f : List.of("flutter.txt", "wings.txt")) {
            assertThat(TestSupport.ingest(collection, dir.resolve(f)).getString("status"))
                    .isEqualTo("succeeded");
        }
    }

    private String create(Map<String, Object> body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .post("/v1/collections/" + collection + "/conversations")
                .then()
                .statusCode(201)
                .header("Location", containsString("/v1/conversations/"))
                .extract()
                .path("id");
    }

    private JsonPath ask(String conversation, String question) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("question", question, "conversationId", conversation))
                .post("/v1/collections/" + collection + "/ask")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void askingInAConversationKeepsEachTurnWithItsCitations() {
        String id = create(Map.of());
        given().get("/v1/conversations/" + id)
                .then()
                .statusCode(200)
                .body("title", equalTo("New chat"))
                .body("turns.size()", equalTo(0));
        JsonPath first = ask(id, "What is flutter?");
        assertThat(first.getString("conversationId")).isEqualTo(id);
        assertThat(first.getInt("turn")).isEqualTo(1);
        JsonPath second = ask(id, "Why are airliner wings swept back?");
        assertThat(second.getInt("turn")).isEqualTo(2);

        JsonPath detail = given().get("/v1/conversations/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(detail.getString("title")).isEqualTo("What is flutter?");
        assertThat(detail.getList("turns.n")).containsExactly(1, 2);
        assertThat(detail.getString("turns[0].question")).isEqualTo("What is flutter?");
        assertThat(detail.getString("turns[0].answer")).isEqualTo(first.getString("answer"));
        assertThat(detail.getList("turns[0].citations.quote")).isEqualTo(first.getList("citations.quote"));
        assertThat(detail.getString("turns[1].citations[0].filename")).isEqualTo("wings.txt");
        assertThat(detail.getString("turns[0].generator")).isEqualTo("extractive");
        assertThat(detail.getLong("turns[0].tookMs")).isNotNegative();
        // Asking without the conversation adds nothing to it.
        given().contentType(ContentType.JSON)
                .body(Map.of("question", "What is flutter?"))
                .post("/v1/collections/" + collection + "/ask")
                .then()
                .statusCode(200);
        given().get("/v1/conversations/" + id).then().body("turns.size()", equalTo(2));
    }

    @Test
    void aStreamedAnswerIsKeptToo() {
        String id = create(Map.of("title", "streamed"));
        String sse = given().contentType(ContentType.JSON)
                .accept("text/event-stream")
                .body(Map.of("question", "What is flutter?", "conversationId", id))
                .post("/v1/collections/" + collection + "/ask")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(sse).contains("event:done").contains("\"turn\":1");
        given().get("/v1/conversations/" + id)
                .then()
                .body("turns.size()", equalTo(1))
                .body("title", equalTo("streamed"));
    }

    @Test
    void conversationsAreListedNewestFirstFoundByTitleRenamedRatedAndDeleted() {
        String older = create(Map.of("title", "Older chat about wings"));
        String newer = create(Map.of("title", "Newer chat about flutter"));
        List<String> ids = given().get("/v1/collections/" + collection + "/conversations")
                .then()
                .statusCode(200)
                .extract()
                .path("conversations.id");
        assertThat(ids.indexOf(newer)).isLessThan(ids.indexOf(older));
        ask(older, "Why are airliner wings swept back?");
        ids = given().get("/v1/collections/" + collection + "/conversations")
                .then()
                .extract()
                .path("conversations.id");
        assertThat(ids.indexOf(older)).as("a new turn makes it the most recent").isLessThan(ids.indexOf(newer));
        assertThat(given().queryParam("q", "FLUTTER")
                        .get("/v1/collections/" + collection + "/conversations")
                        .then()
                        .statusCode(200)
                        .extract()
                        .<List<String>>path("conversations.id"))
                .contains(newer)
                .doesNotContain(older);

        given().contentType(ContentType.JSON)
                .body(Map.of("title", "Renamed"))
                .patch("/v1/conversations/" + older)
                .then()
                .statusCode(200)
                .body("title", equalTo("Renamed"));
        given().contentType(ContentType.JSON)
                .body(Map.of("rating", "down", "text", "Too short."))
                .post("/v1/conversations/" + older + "/turns/1/feedback")
                .then()
                .statusCode(200)
                .body("feedback", equalTo("down"))
                .body("feedbackText", equalTo("Too short."));
        given().contentType(ContentType.JSON)
                .body(Map.of("rating", "up"))
                .post("/v1/conversations/" + older + "/turns/1/feedback")
                .then()
                .statusCode(200)
                .body("feedback", equalTo("up"));
        given().get("/v1/conversations/" + older).then().body("turns[0].feedback", equalTo("up"));

        given().delete("/v1/conversations/" + older).then().statusCode(204);
        given().get("/v1/conversations/" + older).then().statusCode(404).contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body(Map.of("question", "What is flutter?", "conversationId", older))
                .post("/v1/collections/" + collection + "/ask")
                .then()
                .statusCode(404);
    }

    @Test
    void badRequestsAreClearProblems() {
        String id = create(Map.of());
        given().contentType(ContentType.JSON)
                .body(Map.of("title", " "))
                .patch("/v1/conversations/" + id)
                .then()
                .statusCode(400)
                .body("detail", containsString("title is required"));
        given().contentType(ContentType.JSON)
                .body(Map.of("title", "a\nb"))
                .post("/v1/collections/" + collection + "/conversations")
                .then()
                .statusCode(400)
                .body("detail", containsString("control characters"));
        given().contentType(ContentType.JSON)
                .body(Map.of("rating", "meh"))
                .post("/v1/conversations/" + id + "/turns/1/feedback")
                .then()
                .statusCode(400)
                .body("detail", containsString("rating must be one of [up, down]"));
        given().contentType(ContentType.JSON)
                .body(Map.of("rating", "up"))
                .post("/v1/conversations/" + id + "/turns/9/feedback")
                .then()
                .statusCode(404)
                .body("detail", containsString("has no turn 9"));
        given().queryParam("limit", 0)
                .get("/v1/collections/" + collection + "/conversations")
                .then()
                .statusCode(400);
        given().get("/v1/conversations/not-an-id").then().statusCode(404);
        String other = TestSupport.createCollection("conversations-other");
        given().contentType(ContentType.JSON)
                .body(Map.of("question", "What is flutter?", "conversationId", id))
                .post("/v1/collections/" + other + "/ask")
                .then()
                .statusCode(400)
                .body("detail", containsString("belongs to collection " + collection));
    }
}
