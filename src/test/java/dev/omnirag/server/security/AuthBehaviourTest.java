package dev.omnirag.server.security;

import static dev.omnirag.server.security.AuthFixture.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.omnirag.server.PostgresTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Keys and their life: the first admin key, showing a key once, revocation, last use, rate limits, visibility. */
@QuarkusTest
@TestProfile(AuthProfile.class)
@Tag("auth")
class AuthBehaviourTest {

    @Test
    void firstStartWritesAnOwnerOnlyAdminKeyFileAndLogsItsPathButNotTheKey() throws Exception {
        Path file = PostgresTestResource.HOME.resolve("admin.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        String key = Files.readString(file).strip();
        assertThat(key).matches("omr_[A-Za-z0-9_-]{43}");
        as(key).get("/v1/keys/me")
                .then()
                .statusCode(200)
                .body("admin", equalTo(true))
                .body("authEnabled", equalTo(true));
        String log = Files.readString(Path.of(AuthProfile.LOG));
        assertThat(log).contains(file.toString()).doesNotContain(key);
        // The file is written once: it still holds the first key, and that key is the only one named so.
        JsonPath keys = as(key).get("/v1/keys").then().statusCode(200).extract().jsonPath();
        assertThat(keys.getList("keys.findAll { it.name == 'admin (first start)' }"))
                .hasSize(1);
    }

    @Test
    void aNewKeyIsShownOnceAndListedOnlyByItsPrefix() {
        AuthFixture f = AuthFixture.get();
        JsonPath created = f.key("shown-once", false, List.of(Map.of("collection", f.a.name(), "role", "write")));
        String key = created.getString("key");
        assertThat(key).matches("omr_[A-Za-z0-9_-]{43}").startsWith(created.getString("prefix"));
        assertThat(created.getString("grants[0].collectionId")).isEqualTo(f.a.id());
        assertThat(created.getString("grants[0].role")).isEqualTo("write");
        String one = as(f.admin)
                .get("/v1/keys/" + created.getString("id"))
                .then()
                .statusCode(200)
                .body("prefix", equalTo(created.getString("prefix")))
                .body("grants[0].role", equalTo("write"))
                .extract()
                .asString();
        String all =
                as(f.admin).get("/v1/keys").then().statusCode(200).extract().asString();
        assertThat(one).doesNotContain(key).doesNotContain("\"key\"");
        assertThat(all).doesNotContain(key);
        assertThat(all).doesNotContain(ApiKeys.hash(key));
    }

    @Test
    void aRevokedKeyIsRefusedAtOnceAndKeptForAudit() {
        AuthFixture f = AuthFixture.get();
        JsonPath created = f.key("to-revoke", false, List.of(Map.of("collection", f.a.id(), "role", "read")));
        String key = created.getString("key");
        as(key).get("/v1/collections/" + f.a.id()).then().statusCode(200);
        as(f.admin).delete("/v1/keys/" + created.getString("id")).then().statusCode(204);
        as(key).get("/v1/collections/" + f.a.id())
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .contentType("application/problem+json")
                .body("detail", containsString("revoked"));
        as(f.admin)
                .get("/v1/keys/" + created.getString("id"))
                .then()
                .statusCode(200)
                .body("revokedAt", notNullValue());
        // Revoking again changes nothing.
        as(f.admin).delete("/v1/keys/" + created.getString("id")).then().statusCode(204);
    }

    @Test
    void theLastActiveAdminKeyCannotBeRevoked() {
        AuthFixture f = AuthFixture.get();
        String adminId =
                as(f.admin).get("/v1/keys/me").then().statusCode(200).extract().path("id");
        as(f.admin)
                .delete("/v1/keys/" + adminId)
                .then()
                .statusCode(409)
                .body("detail", containsString("last active admin"));
        JsonPath second = f.key("second-admin", true, List.of());
        as(second.getString("key")).get("/v1/keys").then().statusCode(200);
        as(f.admin).delete("/v1/keys/" + second.getString("id")).then().statusCode(204);
    }

    @Test
    void lastUseIsRecorded() throws Exception {
        AuthFixture f = AuthFixture.get();
        JsonPath created = f.key("last-used", false, List.of());
        String id = created.getString("id");
        as(f.admin).get("/v1/keys/" + id).then().statusCode(200).body("lastUsedAt", nullValue());
        as(created.getString("key")).get("/v1/keys/me").then().statusCode(200);
        org.awaitility.Awaitility.await("lastUsedAt after one request")
                .atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> as(f.admin)
                                .get("/v1/keys/" + id)
                                .then()
                                .statusCode(200)
                                .extract()
                                .path("lastUsedAt")
                        != null);
    }

    @Test
    void aKeyOverItsRateGets429WithRetryAfter() throws Exception {
        AuthFixture f = AuthFixture.get();
        String key = f.key("busy", false, List.of()).getString("key");
        AtomicInteger ok = new AtomicInteger();
        AtomicBoolean limited = new AtomicBoolean();
        AtomicReference<Response> refused = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                running.add(pool.submit(() -> {
                    for (int i = 0; i < 200 && !limited.get(); i++) {
                        Response r = as(key).get("/v1/keys/me");
                        if (r.statusCode() == 200) {
                            ok.incrementAndGet();
                        } else if (r.statusCode() == 429) {
                            refused.compareAndSet(null, r);
                            limited.set(true);
                        }
                    }
                }));
            }
            for (Future<?> fut : running) {
                fut.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(refused.get())
                .as("a 429 within 1600 requests (burst 100, 50/s)")
                .isNotNull();
        assertThat(ok.get()).as("requests allowed before the first 429").isGreaterThanOrEqualTo(100);
        Response r = refused.get();
        assertThat(Integer.parseInt(r.getHeader("Retry-After"))).isBetween(1, 60);
        assertThat(r.getContentType()).startsWith("application/problem+json");
        assertThat(r.jsonPath().getInt("status")).isEqualTo(429);
        // Other keys are not affected.
        as(f.aRead).get("/v1/keys/me").then().statusCode(200);
    }

    @Test
    void modelsAndCollectionsListOnlyWhatTheKeyMaySee() {
        AuthFixture f = AuthFixture.get();
        as(f.bRead)
                .get("/v1/models")
                .then()
                .statusCode(200)
                .body("data.id", hasItem("omnirag:" + f.b.name()))
                .body("data.id", not(hasItem("omnirag:" + f.a.name())));
        as(f.admin)
                .get("/v1/models")
                .then()
                .statusCode(200)
                .body("data.id", hasItem("omnirag:" + f.a.name()))
                .body("data.id", hasItem("omnirag:" + f.b.name()));
        List<String> visible = as(f.aRead)
                .get("/v1/collections")
                .then()
                .statusCode(200)
                .extract()
                .path("collections.id");
        assertThat(visible).contains(f.a.id()).doesNotContain(f.b.id());
        // A hidden collection answers exactly like a missing one.
        String hidden = as(f.bRead)
                .get("/v1/collections/" + f.a.id())
                .then()
                .statusCode(404)
                .extract()
                .path("detail");
        String missingId = java.util.UUID.randomUUID().toString();
        String missing = as(f.bRead)
                .get("/v1/collections/" + missingId)
                .then()
                .statusCode(404)
                .extract()
                .path("detail");
        assertThat(hidden.replace(f.a.id(), "X")).isEqualTo(missing.replace(missingId, "X"));
    }

    @Test
    void grantChangesTakeEffectAtOnce() {
        AuthFixture f = AuthFixture.get();
        JsonPath created = f.key("granted-later", false, List.of());
        String key = created.getString("key");
        as(key).get("/v1/collections/" + f.b.id()).then().statusCode(404);
        as(f.admin)
                .contentType(ContentType.JSON)
                .body(Map.of("role", "write"))
                .put("/v1/collections/" + f.b.id() + "/grants/" + created.getString("id"))
                .then()
                .statusCode(200)
                .body("role", equalTo("write"));
        as(key).get("/v1/collections/" + f.b.id()).then().statusCode(200);
        as(key).get("/v1/keys/me").then().statusCode(200).body("grants[0].collectionId", equalTo(f.b.id()));
        as(f.admin)
                .get("/v1/collections/" + f.b.id() + "/grants")
                .then()
                .statusCode(200)
                .body("grants.keyId", hasItem(created.getString("id")));
        as(f.admin)
                .delete("/v1/collections/" + f.b.id() + "/grants/" + created.getString("id"))
                .then()
                .statusCode(204);
        as(key).get("/v1/collections/" + f.b.id()).then().statusCode(404);
    }

    @Test
    void badKeyRequestsAreRefusedWithTheFieldNamed() {
        AuthFixture f = AuthFixture.get();
        as(f.admin)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name", "x", "grants", List.of(Map.of("collection", "no-such-collection", "role", "read"))))
                .post("/v1/keys")
                .then()
                .statusCode(400)
                .body("detail", containsString("grants[0].collection"));
        as(f.admin)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "x", "grants", List.of(Map.of("collection", f.a.id(), "role", "owner"))))
                .post("/v1/keys")
                .then()
                .statusCode(400)
                .body("detail", equalTo("grants[0].role must be one of [read, write, admin]; grants[0].role=owner"));
        as(f.admin)
                .contentType(ContentType.JSON)
                .body(Map.of("name", " "))
                .post("/v1/keys")
                .then()
                .statusCode(400)
                .body("detail", equalTo("name must not be blank"));
        as(f.admin)
                .contentType(ContentType.JSON)
                .body("{\"name\": \"x\", \"grants\": [{\"collection\": \"" + f.a.id()
                        + "\", \"role\": \"read\"}, null]}")
                .post("/v1/keys")
                .then()
                .statusCode(400)
                .body("detail", equalTo("grants[1] must not be null; give {\"collection\", \"role\"} objects"));
        as(f.admin)
                .contentType(ContentType.JSON)
                .body(Map.of("role", "boss"))
                .put("/v1/collections/" + f.a.id() + "/grants/" + f.victimId)
                .then()
                .statusCode(400)
                .body("detail", equalTo("role must be one of [read, write, admin]; role=boss"));
    }

    @Test
    void missingOrMalformedCredentialsGet401WithABearerChallenge() {
        AuthFixture.get();
        for (String header : new String[] {null, "Basic dXNlcjpwYXNz", "Bearer", "Bearer not-a-key"}) {
            var spec = header == null
                    ? as(null)
                    : io.restassured.RestAssured.given().header("Authorization", header);
            spec.get("/v1/collections")
                    .then()
                    .statusCode(401)
                    .header("WWW-Authenticate", containsString("Bearer"))
                    .contentType("application/problem+json")
                    .body("status", equalTo(401));
        }
    }

    /**
     * Paths that routing normalises onto an endpoint ("//v1", dot segments, %-escaped letters) are checked like the
     * endpoint itself. Sent on a raw socket: HTTP clients would normalise them before sending.
     */
    @Test
    void pathsThatNormaliseOntoAnEndpointNeedAKeyToo() throws Exception {
        AuthFixture.get();
        int port = io.restassured.RestAssured.port;
        String body = "{\"query\":\"wing\",\"documents\":[\"a wing\",\"a tail\"]}";
        for (String path :
                List.of("//v1/rerank", "/%761/rerank", "/x/../v1/rerank", "/./v1/rerank", "//v1/embeddings")) {
            String json = path.endsWith("embeddings") ? "{\"input\":\"wing\"}" : body;
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                socket.setSoTimeout(30_000);
                String request = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                        + "\r\nConnection: close\r\n\r\n" + json;
                socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                String status = new java.io.BufferedReader(new java.io.InputStreamReader(
                                socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))
                        .readLine();
                assertThat(status).as("status line for %s", path).matches("HTTP/1\\.1 (401|404) .*");
            }
        }
    }
}
