package dev.omnirag.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class CollectionsApiTest {

    @Test
    void createdCollectionIsListedAndReadable() {
        String id = given().contentType(ContentType.JSON)
                .body("{\"name\": \"manuals-a\", \"description\": \"aircraft manuals\"}")
                .post("/v1/collections")
                .then()
                .statusCode(201)
                .header("Location", containsString("/v1/collections/"))
                .body("name", equalTo("manuals-a"))
                .body("description", equalTo("aircraft manuals"))
                .body("embeddingSpace", equalTo("bge-small-en-v1.5-int8"))
                .body("dimensions", equalTo(384))
                .extract()
                .path("id");
        given().get("/v1/collections").then().statusCode(200).body("collections.id", hasItem(id));
        given().get("/v1/collections/" + id).then().statusCode(200).body("name", equalTo("manuals-a"));
    }

    @Test
    void collectionCountsItsDocumentsByStatusAndTheListComesInPages(@TempDir Path dir) throws IOException {
        String id = TestSupport.createCollection("counted");
        given().get("/v1/collections/" + id)
                .then()
                .statusCode(200)
                .body("documents.total", equalTo(0))
                .body("documents.ready", equalTo(0));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path file = dir.resolve("note-" + i + ".txt");
            Files.writeString(file, "Note " + i + " on the boundary layer of a swept wing, version " + i + ".");
            assertThat(TestSupport.ingest(id, file).getString("status")).isEqualTo("succeeded");
            names.add(file.getFileName().toString());
        }
        assertThat(TestSupport.ingest(id, TestSupport.shared("media/bad/empty_protected.pdf"))
                        .getString("status"))
                .isEqualTo("failed");

        given().get("/v1/collections/" + id)
                .then()
                .statusCode(200)
                .body("documents.total", equalTo(4))
                .body("documents.ready", equalTo(3))
                .body("documents.processing", equalTo(0))
                .body("documents.failed", equalTo(1));
        given().get("/v1/collections")
                .then()
                .statusCode(200)
                .body("collections.find { it.id == '" + id + "' }.documents.total", equalTo(4));

        // Pages in upload order, and a filter by status.
        given().get("/v1/collections/" + id + "/documents?limit=2")
                .then()
                .statusCode(200)
                .body("documents.filename", contains(names.get(0), names.get(1)));
        given().get("/v1/collections/" + id + "/documents?limit=2&offset=2")
                .then()
                .statusCode(200)
                .body("documents.filename", contains(names.get(2), "empty_protected.pdf"));
        given().get("/v1/collections/" + id + "/documents?status=failed")
                .then()
                .statusCode(200)
                .body("documents.filename", contains("empty_protected.pdf"));
        given().get("/v1/collections/" + id + "/documents")
                .then()
                .statusCode(200)
                .body("documents", hasSize(4));
        given().get("/v1/collections/" + id + "/documents?limit=0")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("limit must be in 1..1000; limit=0"));
        given().get("/v1/collections/" + id + "/documents?status=done")
                .then()
                .statusCode(400)
                .body("detail", equalTo("status must be processing, ready or failed; status=done"));
    }

    @Test
    void duplicateNameIsAConflict() {
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"twice\"}")
                .post("/v1/collections")
                .then()
                .statusCode(201);
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"twice\"}")
                .post("/v1/collections")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("already exists"));
    }

    @Test
    void unknownCollectionIsProblem404() {
        given().get("/v1/collections/6f1d2c8e-0000-4000-8000-000000000000")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", equalTo("Not Found"))
                .body("detail", startsWith("no collection with id"));
        given().get("/v1/collections/not-a-uuid").then().statusCode(404).contentType("application/problem+json");
        given().delete("/v1/collections/6f1d2c8e-0000-4000-8000-000000000000")
                .then()
                .statusCode(404);
    }

    @Test
    void blankNameIsRejectedWithDetail() {
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"  \"}")
                .post("/v1/collections")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("name must not be blank"));
    }

    @Test
    void malformedJsonIsProblem400() {
        given().contentType(ContentType.JSON)
                .body("{\"name\": ")
                .post("/v1/collections")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", containsString("JSON"));
    }

    @Test
    void unknownRouteIsProblem404() {
        given().get("/v1/nothing-here").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void deletedCollectionIsGone() {
        String id = TestSupport.createCollection("deleted");
        given().delete("/v1/collections/" + id).then().statusCode(204);
        given().get("/v1/collections/" + id).then().statusCode(404);
    }

    @Test
    void collectionCanBeRenamedAndRedescribed() {
        String id = TestSupport.createCollection("before");
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"  after-rename  \"}")
                .patch("/v1/collections/" + id)
                .then()
                .statusCode(200)
                .body("name", equalTo("after-rename"))
                .body("id", equalTo(id));
        given().get("/v1/collections/" + id).then().statusCode(200).body("name", equalTo("after-rename"));
        given().contentType(ContentType.JSON)
                .body("{\"description\": \"new words\"}")
                .patch("/v1/collections/" + id)
                .then()
                .statusCode(200)
                .body("name", equalTo("after-rename"))
                .body("description", equalTo("new words"));
        given().contentType(ContentType.JSON)
                .body("{\"description\": \"\"}")
                .patch("/v1/collections/" + id)
                .then()
                .statusCode(200)
                .body("description", org.hamcrest.Matchers.nullValue());
        // Renaming to its own name is not a conflict.
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"after-rename\"}")
                .patch("/v1/collections/" + id)
                .then()
                .statusCode(200);
    }

    @Test
    void renameRefusesTakenBlankAndEmptyChanges() {
        String id = TestSupport.createCollection("one");
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"taken-name\"}")
                .post("/v1/collections")
                .then()
                .statusCode(201);
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"taken-name\"}")
                .patch("/v1/collections/" + id)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("already exists"));
        given().contentType(ContentType.JSON)
                .body("{\"name\": \" \"}")
                .patch("/v1/collections/" + id)
                .then()
                .statusCode(400)
                .body("detail", equalTo("name must not be blank"));
        given().contentType(ContentType.JSON)
                .body("{}")
                .patch("/v1/collections/" + id)
                .then()
                .statusCode(400)
                .body("detail", containsString("nothing to change"));
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"x\"}")
                .patch("/v1/collections/6f1d2c8e-0000-4000-8000-000000000000")
                .then()
                .statusCode(404);
    }
}
