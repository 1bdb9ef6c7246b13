package dev.omnirag.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The quality profile's companion embedder (e5-small-v2, in process): a collection created with it fixes its space,
 * every chunk gets a companion vector at ingestion (the index refuses one it has no field for, so a document
 * that reaches {@code ready} proved it), and quality searches and asks fuse it with the main vectors.
 */
@QuarkusTest
@Tag("companion")
@TestProfile(CompanionEmbedderTest.CompanionProfile.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class CompanionEmbedderTest {

    /** Turns the companion on. */
    public static class CompanionProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("omnirag.embedder.companion", "E5_SMALL_V2");
        }
    }

    private static final Map<String, String> DOCUMENTS = Map.of(
            "separation.txt",
                    "An adverse pressure gradient slows the boundary layer until the flow separates from "
                            + "the wing surface, and the separated flow costs lift.",
            "heat.txt", "Heat transfer to a blunt body in hypersonic flow rises with the stagnation pressure.",
            "buckling.txt",
                    "Thin cylindrical shells under axial compression buckle at loads far below the classical "
                            + "prediction because of initial imperfections.",
            "flutter.txt",
                    "Panel flutter of a plate in supersonic flow is a self-excited oscillation that can "
                            + "destroy the panel.");

    @Test
    void aCollectionCreatedWithTheCompanionIndexesAndSearchesItsVectors(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        JsonPath created = given().contentType(ContentType.JSON)
                .body(Map.of("name", "companion-" + System.nanoTime()))
                .post("/v1/collections")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        assertThat(created.getString("companionSpace")).isEqualTo("e5-small-v2-int8");
        assertThat(created.getInt("companionDimensions")).isEqualTo(384);
        String collection = created.getString("id");
        for (Map.Entry<String, String> doc : DOCUMENTS.entrySet()) {
            Path file = dir.resolve(doc.getKey());
            Files.writeString(file, doc.getValue());
            assertThat(TestSupport.ingest(collection, file).getString("status")).isEqualTo("succeeded");
        }

        for (String profile : List.of("quality", "fast")) {
            List<String> files = given().contentType(ContentType.JSON)
                    .body(Map.of("query", "why does the flow separate from a wing", "profile", profile, "k", 4))
                    .post("/v1/collections/" + collection + "/search")
                    .then()
                    .statusCode(200)
                    .body("profile", equalTo(profile))
                    .extract()
                    .jsonPath()
                    .getList("results.filename");
            assertThat(files).as(profile).hasSize(4).first().isEqualTo("separation.txt");
        }
        given().contentType(ContentType.JSON)
                .body(Map.of("question", "What makes shells buckle below the classical load?", "profile", "quality"))
                .post("/v1/collections/" + collection + "/ask")
                .then()
                .statusCode(200)
                .body("citations[0].filename", equalTo("buckling.txt"));
    }
}
