package dev.omnirag.server.security;

import static dev.omnirag.server.security.AuthFixture.as;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A conversation belongs to the key that created it: another key with read or write in the collection neither
 * lists nor opens it (404, as if it did not exist); an admin of the collection sees and may manage everyone's.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
@Tag("auth")
class ConversationOwnershipTest {

    @Test
    void aConversationIsItsOwnersAndItsCollectionAdmins() {
        AuthFixture f = AuthFixture.get();
        String id = as(f.aRead)
                .contentType(ContentType.JSON)
                .body(Map.of("title", "mine"))
                .post("/v1/collections/" + f.a.id() + "/conversations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        as(f.aRead)
                .contentType(ContentType.JSON)
                .body(Map.of("question", "What thickens downstream?", "conversationId", id))
                .post("/v1/collections/" + f.a.id() + "/ask")
                .then()
                .statusCode(200);

        assertThat(as(f.aRead).get("/v1/conversations/" + id).statusCode()).isEqualTo(200);
        assertThat(as(f.aWrite).get("/v1/conversations/" + id).statusCode()).isEqualTo(404);
        assertThat(as(f.bRead).get("/v1/conversations/" + id).statusCode()).isEqualTo(404);
        assertThat(as(f.aAdmin).get("/v1/conversations/" + id).statusCode()).isEqualTo(200);
        // Another key cannot add turns to it either.
        assertThat(as(f.aWrite)
                        .contentType(ContentType.JSON)
                        .body(Map.of("question", "What thickens downstream?", "conversationId", id))
                        .post("/v1/collections/" + f.a.id() + "/ask")
                        .statusCode())
                .isEqualTo(404);

        List<String> own = as(f.aRead)
                .get("/v1/collections/" + f.a.id() + "/conversations")
                .then()
                .statusCode(200)
                .extract()
                .path("conversations.id");
        List<String> others = as(f.aWrite)
                .get("/v1/collections/" + f.a.id() + "/conversations")
                .then()
                .statusCode(200)
                .extract()
                .path("conversations.id");
        List<String> admins = as(f.aAdmin)
                .get("/v1/collections/" + f.a.id() + "/conversations")
                .then()
                .statusCode(200)
                .extract()
                .path("conversations.id");
        assertThat(own).contains(id);
        assertThat(others).doesNotContain(id);
        assertThat(admins).contains(id);

        as(f.aAdmin)
                .contentType(ContentType.JSON)
                .body(Map.of("rating", "down"))
                .post("/v1/conversations/" + id + "/turns/1/feedback")
                .then()
                .statusCode(200);
        as(f.aWrite).delete("/v1/conversations/" + id).then().statusCode(404);
        as(f.aRead).delete("/v1/conversations/" + id).then().statusCode(204);
    }
}
