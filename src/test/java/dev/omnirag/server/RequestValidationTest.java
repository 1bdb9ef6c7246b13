package dev.omnirag.server;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Request bodies are checked by Bean Validation with messages that name the field as the client wrote it and say
 * what is wrong with the value; every violation of one body is reported at once, and the body changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class RequestValidationTest {

    private static void refused(String method, String path, Object body, String detail) {
        given().contentType(ContentType.JSON)
                .body(body)
                .request(method, path)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo(detail));
    }

    @Test
    void aCollectionNameThatIsTooLongOrHoldsControlCharactersIsRefusedWithLengthOrPosition() {
        refused(
                "POST",
                "/v1/collections",
                Map.of("name", "n".repeat(201)),
                "name must be at most 200 characters; length=201");
        refused(
                "POST",
                "/v1/collections",
                Map.of("name", "a\u0000b"),
                "name must not contain control characters (such as NUL or a line break); found U+0000 at position 1");
        // A description may span lines, but not hold NUL.
        refused(
                "POST",
                "/v1/collections",
                Map.of("name", "ok-name", "description", "line one\nline\u0000two"),
                "description must not contain control characters (such as NUL); found U+0000 at position 13");
        given().get("/v1/collections")
                .then()
                .statusCode(200)
                .body("collections.findAll { it.name == 'ok-name' }.size()", equalTo(0));
    }

    @Test
    void everyViolationOfOneBodyIsReportedAtOnceInFieldOrder() {
        refused(
                "POST",
                "/v1/collections",
                Map.of("name", " ", "description", "d".repeat(4001)),
                "description must be at most 4000 characters; length=4001; name must not be blank");
    }

    @Test
    void renamingACollectionToBlankIsRefusedWhileLeavingTheNameOutKeepsIt() {
        String id = TestSupport.createCollection("validation-rename");
        refused("PATCH", "/v1/collections/" + id, Map.of("name", "   "), "name must not be blank");
        given().contentType(ContentType.JSON)
                .body(Map.of("description", "only the description"))
                .patch("/v1/collections/" + id)
                .then()
                .statusCode(200)
                .body("name", equalTo(given().get("/v1/collections/" + id).path("name")))
                .body("description", equalTo("only the description"));
    }

    @Test
    void aSearchFilterWithTooManyMetadataConditionsIsRefusedWithItsPath() {
        String id = TestSupport.createCollection("validation-filter");
        Map<String, String> metadata = new HashMap<>();
        for (int i = 0; i < 101; i++) {
            metadata.put("k" + i, "v");
        }
        refused(
                "POST",
                "/v1/collections/" + id + "/search",
                Map.of("query", "anything", "filter", Map.of("metadata", metadata)),
                "filter.metadata may hold at most 100 keys; it holds 101");
    }

    @Test
    void aFeedbackRatingOtherThanUpOrDownIsRefusedNamingTheChoices() {
        String id = TestSupport.createCollection("validation-feedback");
        String conversation = given().contentType(ContentType.JSON)
                .body(Map.of())
                .post("/v1/collections/" + id + "/conversations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        refused(
                "POST",
                "/v1/conversations/" + conversation + "/turns/1/feedback",
                Map.of("rating", "sideways"),
                "rating must be one of [up, down]; rating=sideways");
        refused(
                "PATCH",
                "/v1/conversations/" + conversation,
                Map.of("title", " "),
                "title is required and must not be blank");
    }
}
