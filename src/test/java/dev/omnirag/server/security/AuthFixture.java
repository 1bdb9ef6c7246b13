package dev.omnirag.server.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.omnirag.server.PostgresTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * What the access-control tests share in their one application: the first-start admin key, two collections A and
 * B with a one-page PDF each, and keys with roles in them.
 */
final class AuthFixture {

    /** A collection with an ingested PDF (its document and job). */
    record Coll(String id, String name, String docId, String jobId) {}

    private static AuthFixture instance;

    final String admin;
    final Coll a;
    final Coll b;
    final String aRead;
    final String aWrite;
    final String aAdmin;
    final String bRead;
    final String revoked;
    /** A key with no grants; the grant and key routes act on it. */
    final String victimId;

    static synchronized AuthFixture get() {
        if (instance == null) {
            instance = new AuthFixture();
        }
        return instance;
    }

    private AuthFixture() {
        admin = adminKeyFromFile();
        a = collection("auth-a");
        b = collection("auth-b");
        aRead = key("a-read", false, List.of(Map.of("collection", a.id(), "role", "read")))
                .getString("key");
        aWrite = key("a-write", false, List.of(Map.of("collection", a.name(), "role", "write")))
                .getString("key");
        aAdmin = key("a-admin", false, List.of(Map.of("collection", a.id(), "role", "admin")))
                .getString("key");
        bRead = key("b-read", false, List.of(Map.of("collection", b.id(), "role", "read")))
                .getString("key");
        JsonPath r = key("revoked", false, List.of(Map.of("collection", a.id(), "role", "admin")));
        revoked = r.getString("key");
        as(admin).delete("/v1/keys/" + r.getString("id")).then().statusCode(204);
        victimId = key("victim", false, List.of()).getString("id");
    }

    static String adminKeyFromFile() {
        try {
            return Files.readString(PostgresTestResource.HOME.resolve("admin.key"))
                    .strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A request carrying {@code key} as a Bearer token; no header when it is null. */
    static RequestSpecification as(String key) {
        RequestSpecification r = given();
        return key == null ? r : r.header("Authorization", "Bearer " + key);
    }

    JsonPath key(String name, boolean isAdmin, List<Map<String, String>> grants) {
        return as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        name + "-" + UUID.randomUUID().toString().substring(0, 6),
                        "admin",
                        isAdmin,
                        "grants",
                        grants))
                .post("/v1/keys")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    /** A new collection holding one PDF, ingested; keys get roles in it separately. */
    Coll collection(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String id = as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("name", name))
                .post("/v1/collections")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        JsonPath up = as(admin)
                .multiPart("file", pdf(name).toFile())
                .post("/v1/collections/" + id + "/documents")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath();
        String job = up.getString("jobId");
        awaitJob(job);
        return new Coll(id, name, up.getString("documentId"), job);
    }

    /** A collection like {@code like} (same keys with the same roles), for a call that destroys what it targets. */
    Coll freshLike(Coll like) {
        Coll c = collection("auth-fresh");
        Map<String, String> roles =
                like == a ? Map.of(aRead, "read", aWrite, "write", aAdmin, "admin") : Map.of(bRead, "read");
        for (var e : roles.entrySet()) {
            String keyId = as(e.getKey())
                    .get("/v1/keys/me")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("id");
            as(admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of("role", e.getValue()))
                    .put("/v1/collections/" + c.id() + "/grants/" + keyId)
                    .then()
                    .statusCode(200);
        }
        return c;
    }

    void awaitJob(String jobId) {
        org.awaitility.Awaitility.await("job " + jobId + " succeeded")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> as(admin)
                                .get("/v1/jobs/" + jobId)
                                .then()
                                .statusCode(200)
                                .extract()
                                .<String>path("status"),
                        status -> {
                            assertThat(status).isNotEqualTo("failed");
                            return status.equals("succeeded");
                        });
    }

    /** A one-page PDF whose text names {@code marker} (unique bytes per call). */
    static Path pdf(String marker) {
        try {
            Path dir = Files.createDirectories(Path.of("target/auth-test"));
            Path file = dir.resolve(marker + "-" + UUID.randomUUID() + ".pdf");
            try (PDDocument doc = new PDDocument()) {
                PDPage page = new PDPage(PDRectangle.LETTER);
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                    cs.newLineAtOffset(72, 700);
                    cs.showText("Wind tunnel notes for " + marker + ": the boundary layer thickens downstream.");
                    cs.endText();
                }
                doc.save(file.toFile());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
