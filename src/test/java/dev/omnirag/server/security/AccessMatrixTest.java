package dev.omnirag.server.security;

import static dev.omnirag.server.security.AuthFixture.as;
import static org.assertj.core.api.Assertions.assertThat;

import dev.omnirag.server.security.AuthFixture.Coll;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Produces;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint × every kind of key × collections A and B → the expected status, each cell asserted. The routes
 * are also read from the resource classes, so an endpoint missing from the table fails the test.
 *
 * <p>Keys, in the order of each expectation string: none, invalid (well-formed, never issued), revoked, global
 * admin, A read, A write, A admin, B read. Rows marked per collection run against A and against B.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
@Tag("auth")
class AccessMatrixTest {

    private static final Logger LOG = Logger.getLogger(AccessMatrixTest.class);
    private static final List<String> KEY_NAMES =
            List.of("none", "invalid", "revoked", "admin", "aRead", "aWrite", "aAdmin", "bRead");

    /** What one call is aimed at: a collection (with its document and job) and, for key routes, a key id. */
    record Target(Coll c, String keyId) {}

    /**
     * One route. {@code onA}/{@code onB}: expected statuses per key (or {@code onA} alone for routes outside a
     * collection). {@code fresh}: the call destroys its target, so each cell that succeeds gets a new one.
     */
    record Row(String route, String onA, String onB, Fresh fresh, BiFunction<Target, String, Response> call) {}

    enum Fresh {
        NO,
        COLLECTION,
        KEY,
        GRANT
    }

    private static final String READ_A = "401 401 401 200 200 200 200 404";
    private static final String READ_B = "401 401 401 200 404 404 404 200";
    private static final String ANY_VALID = "401 401 401 200 200 200 200 200";

    private static List<Row> rows(AuthFixture f) {
        String q = "boundary layer";
        List<Row> rows = new ArrayList<>();
        // ---- collections
        rows.add(new Row(
                "POST /v1/collections",
                "401 401 401 201 403 403 403 403",
                null,
                Fresh.NO,
                (t, k) -> as(k).contentType(ContentType.JSON)
                        .body(Map.of("name", "m-" + java.util.UUID.randomUUID()))
                        .post("/v1/collections")));
        rows.add(new Row("GET /v1/collections", ANY_VALID, null, Fresh.NO, (t, k) -> as(k).get("/v1/collections")));
        rows.add(new Row(
                "GET /v1/collections/{id}",
                READ_A,
                READ_B,
                Fresh.NO,
                (t, k) -> as(k).get("/v1/collections/" + t.c().id())));
        rows.add(new Row(
                "PATCH /v1/collections/{id}",
                "401 401 401 200 403 403 200 404",
                "401 401 401 200 404 404 404 403",
                Fresh.NO,
                (t, k) -> as(k).contentType(ContentType.JSON)
                        .body(Map.of("description", "changed by " + k))
                        .patch("/v1/collections/" + t.c().id())));
        rows.add(new Row(
                "DELETE /v1/collections/{id}",
                "401 401 401 204 403 403 204 404",
                "401 401 401 204 404 404 404 403",
                Fresh.COLLECTION,
                (t, k) -> as(k).delete("/v1/collections/" + t.c().id())));
        // ---- documents
        rows.add(new Row(
                "POST /v1/collections/{id}/documents [multipart]",
                "401 401 401 202 403 202 202 404",
                "401 401 401 202 404 404 404 403",
                Fresh.NO,
                (t, k) -> as(k).multiPart("file", AuthFixture.pdf("upload").toFile())
                        .post("/v1/collections/" + t.c().id() + "/documents")));
        rows.add(new Row(
                "GET /v1/collections/{id}/documents",
                READ_A,
                READ_B,
                Fresh.NO,
                (t, k) -> as(k).get("/v1/collections/" + t.c().id() + "/documents")));
        rows.add(new Row(
                "GET /v1/documents/{id}",
                READ_A,
                READ_B,
                Fresh.NO,
                (t, k) -> as(k).get("/v1/documents/" + t.c().docId())));
        rows.add(new Row(
                "GET /v1/documents/{id}/content",
                READ_A,
                READ_B,
                Fresh.NO,
                (t, k) -> as(k).get("/v1/documents/" + t.c().docId() + "/content")));
        rows.add(new Row(
                "DELETE /v1/documents/{id}",
                "401 401 401 204 403 204 204 404",
                "401 401 401 204 404 404 404 403",
                Fresh.COLLECTION,
                (t, k) -> as(k).delete("/v1/documents/" + t.c().docId())));
        rows.add(new Row(
                "GET /v1/documents/{id}/pages/{n}.png",
                READ_A,
                READ_B,
                Fresh.NO,
                (t, k) -> as(k).get("/v1/documents/" + t.c().docId() + "/pages/1.png")));
        rows.add(new Row(
                "GET /v1/documents/{id}/pages/{n}/highlight",
                READ_A,
                READ_B,
                Fresh.NO,
                (t, k) -> as(k).queryParam("quote", q).get("/v1/documents/" + t.c().docId() + "/pages/1/highlight")));
        // ---- jobs
        rows.add(new Row(
                "GET /v1/jobs/{id}", READ_A, READ_B, Fresh.NO, (t, k) -> as(k).get("/v1/jobs/" + t.c().jobId())));
        rows.add(new Row(
                "GET /v1/jobs/{id}/events [sse]",
                READ_A,
                READ_B,
                Fresh.NO,
                (t, k) -> as(k).accept("text/event-stream").get("/v1/jobs/" + t.c().jobId() + "/events")));
        // ---- imports
        rows.add(new Row(
                "POST /v1/collections/{id}/imports [multipart]",
                "401 401 401 202 403 202 202 404",
                "401 401 401 202 404 404 404 403",
                Fresh.NO,
                (t, k) -> as(k).multiPart("archive", archive().toFile())
                        .post("/v1/collections/" + t.c().id() + "/imports")));
        // A server directory: global admins only (this path does not exist, so the admin's call is a 400).
        rows.add(new Row(
                "POST /v1/collections/{id}/imports",
                "401 401 401 400 403 403 403 404",
                "401 401 401 400 404 404 404 403",
                Fresh.NO,
                (t, k) -> as(k).contentType(ContentType.JSON)
                        .body(Map.of("path", "/nonexistent/omnirag-import"))
                        .post("/v1/collections/" + t.c().id() + "/imports")));
        rows.add(new Row(
                "GET /v1/imports/{id}",
                READ_A,
                READ_B,
                Fresh.NO,
                (t, k) -> as(k).get("/v1/imports/" + importOf(f, t.c()))));
        rows.add(new Row(
                "GET /v1/imports/{id}/events [sse]",
                READ_A,
                READ_B,
                Fresh.NO,
                (t, k) -> as(k).accept("text/event-stream").get("/v1/imports/" + importOf(f, t.c()) + "/events")));
        rows.add(new Row(
                "POST /v1/imports/{id}/cancel",
                "401 401 401 200 403 200 200 404",
                "401 401 401 200 404 404 404 403",
                Fresh.NO,
                (t, k) -> as(k).post("/v1/imports/" + importOf(f, t.c()) + "/cancel")));
        // ---- search and ask
        rows.add(new Row(
                "POST /v1/collections/{id}/search",
                READ_A,
                READ_B,
                Fresh.NO,
                (t, k) -> as(k).contentType(ContentType.JSON)
                        .body(Map.of("query", q))
                        .post("/v1/collections/" + t.c().id() + "/search")));
        rows.add(new Row(
                "POST /v1/collections/{id}/search [multipart]",
                READ_A,
                READ_B,
                Fresh.NO,
                (t, k) -> as(k).multiPart("query", q).post("/v1/collections/" + t.c().id() + "/search")));
        rows.add(new Row(
                "POST /v1/collections/{id}/ask",
                READ_A,
                READ_B,
                Fresh.NO,
                (t, k) -> as(k).contentType(ContentType.JSON)
                        .body(Map.of("question", "What thickens downstream?"))
                        .post("/v1/collections/" + t.c().id() + "/ask")));
        rows.add(new Row(
                "POST /v1/collections/{id}/ask [sse]",
                READ_A,
                READ_B,
                Fresh.NO,
                (t, k) -> as(k).contentType(ContentType.JSON)
                        .accept("text/event-stream")
                        .body(Map.of("question", "What thickens downstream?"))
                        .post("/v1/collections/" + t.c().id() + "/ask")));
        rows.add(new Row(
                "POST /v1/collections/{id}/ask [multipart]",
                READ_A,
                READ_B,
                Fresh.NO,
                (t, k) -> as(k).multiPart("question", "What thickens downstream?")
                        .post("/v1/collections/" + t.c().id() + "/ask")));
        // ---- conversations: created by the global admin, so in A only the admins (global and A's) may touch them
        String convA = "401 401 401 200 404 404 200 404";
        String convB = "401 401 401 200 404 404 404 404";
        rows.add(new Row(
                "POST /v1/collections/{id}/conversations",
                "401 401 401 201 201 201 201 404",
                "401 401 401 201 404 404 404 201",
                Fresh.NO,
                (t, k) -> as(k).contentType(ContentType.JSON)
                        .body(Map.of("title", "matrix"))
                        .post("/v1/collections/" + t.c().id() + "/conversations")));
        rows.add(new Row(
                "GET /v1/collections/{id}/conversations",
                READ_A,
                READ_B,
                Fresh.NO,
                (t, k) -> as(k).get("/v1/collections/" + t.c().id() + "/conversations")));
        rows.add(new Row(
                "GET /v1/conversations/{id}",
                convA,
                convB,
                Fresh.NO,
                (t, k) -> as(k).get("/v1/conversations/" + adminConversation(t.c()))));
        rows.add(new Row(
                "PATCH /v1/conversations/{id}",
                convA,
                convB,
                Fresh.NO,
                (t, k) -> as(k).contentType(ContentType.JSON)
                        .body(Map.of("title", "renamed"))
                        .patch("/v1/conversations/" + adminConversation(t.c()))));
        rows.add(new Row(
                "DELETE /v1/conversations/{id}",
                convA.replace("200", "204"),
                convB.replace("200", "204"),
                Fresh.NO,
                (t, k) -> as(k).delete("/v1/conversations/" + newAdminConversation(t.c()))));
        rows.add(new Row(
                "POST /v1/conversations/{id}/turns/{n}/feedback",
                convA,
                convB,
                Fresh.NO,
                (t, k) -> as(k).contentType(ContentType.JSON)
                        .body(Map.of("rating", "up"))
                        .post("/v1/conversations/" + adminConversation(t.c()) + "/turns/1/feedback")));
        // ---- OpenAI-compatible surface
        rows.add(new Row(
                "POST /v1/chat/completions",
                READ_A,
                READ_B,
                Fresh.NO,
                (t, k) -> as(k).contentType(ContentType.JSON)
                        .body(chat("omnirag:" + t.c().name(), false))
                        .post("/v1/chat/completions")));
        rows.add(new Row(
                "POST /v1/chat/completions (stream)",
                READ_A,
                READ_B,
                Fresh.NO,
                (t, k) -> as(k).contentType(ContentType.JSON)
                        .body(chat("omnirag:" + t.c().name(), true))
                        .post("/v1/chat/completions")));
        // Pass-through to the generator: any valid key gets past access control, then 404 (no generator here).
        rows.add(new Row(
                "POST /v1/chat/completions (pass-through model)",
                "401 401 401 404 404 404 404 404",
                null,
                Fresh.NO,
                (t, k) -> as(k).contentType(ContentType.JSON)
                        .body(chat("some-llm", false))
                        .post("/v1/chat/completions")));
        rows.add(new Row(
                "POST /v1/embeddings",
                ANY_VALID,
                null,
                Fresh.NO,
                (t, k) -> as(k).contentType(ContentType.JSON)
                        .body(Map.of("input", "hello"))
                        .post("/v1/embeddings")));
        rows.add(new Row("GET /v1/models", ANY_VALID, null, Fresh.NO, (t, k) -> as(k).get("/v1/models")));
        rows.add(new Row("GET /v1/capabilities", ANY_VALID, null, Fresh.NO, (t, k) -> as(k).get("/v1/capabilities")));
        rows.add(new Row(
                "POST /v1/rerank",
                ANY_VALID,
                null,
                Fresh.NO,
                (t, k) -> as(k).contentType(ContentType.JSON)
                        .body(Map.of("query", q, "documents", List.of("the boundary layer", "a cat")))
                        .post("/v1/rerank")));
        rows.add(new Row(
                "POST /v2/rerank",
                ANY_VALID,
                null,
                Fresh.NO,
                (t, k) -> as(k).contentType(ContentType.JSON)
                        .body(Map.of("query", q, "documents", List.of("the boundary layer", "a cat")))
                        .post("/v2/rerank")));
        rows.add(new Row(
                "POST /v1/responses",
                READ_A,
                READ_B,
                Fresh.NO,
                (t, k) -> as(k).contentType(ContentType.JSON)
                        .body(Map.of("model", "omnirag:" + t.c().id(), "input", q))
                        .post("/v1/responses")));
        // A collection's RAG model, by id: visible like the collection (404 model_not_found otherwise).
        rows.add(new Row(
                "GET /v1/models/{id: .+}",
                READ_A,
                READ_B,
                Fresh.NO,
                (t, k) -> as(k).get("/v1/models/omnirag:" + t.c().id())));
        // ---- keys (global admin) and grants (global or collection admin)
        String adminOnly = "401 401 401 200 403 403 403 403";
        rows.add(new Row(
                "POST /v1/keys",
                "401 401 401 201 403 403 403 403",
                null,
                Fresh.NO,
                (t, k) -> as(k).contentType(ContentType.JSON)
                        .body(Map.of("name", "made-by-" + k))
                        .post("/v1/keys")));
        rows.add(new Row("GET /v1/keys", adminOnly, null, Fresh.NO, (t, k) -> as(k).get("/v1/keys")));
        rows.add(new Row("GET /v1/keys/me", ANY_VALID, null, Fresh.NO, (t, k) -> as(k).get("/v1/keys/me")));
        rows.add(new Row("GET /v1/keys/{id}", adminOnly, null, Fresh.NO, (t, k) -> as(k).get("/v1/keys/" + t.keyId())));
        rows.add(new Row(
                "DELETE /v1/keys/{id}",
                "401 401 401 204 403 403 403 403",
                null,
                Fresh.KEY,
                (t, k) -> as(k).delete("/v1/keys/" + t.keyId())));
        rows.add(new Row(
                "GET /v1/collections/{id}/grants",
                "401 401 401 200 403 403 200 404",
                "401 401 401 200 404 404 404 403",
                Fresh.NO,
                (t, k) -> as(k).get("/v1/collections/" + t.c().id() + "/grants")));
        rows.add(new Row(
                "PUT /v1/collections/{id}/grants/{keyId}",
                "401 401 401 200 403 403 200 404",
                "401 401 401 200 404 404 404 403",
                Fresh.NO,
                (t, k) -> as(k).contentType(ContentType.JSON)
                        .body(Map.of("role", "read"))
                        .put("/v1/collections/" + t.c().id() + "/grants/" + t.keyId())));
        rows.add(new Row(
                "DELETE /v1/collections/{id}/grants/{keyId}",
                "401 401 401 204 403 403 204 404",
                "401 401 401 204 404 404 404 403",
                Fresh.GRANT,
                (t, k) -> as(k).delete("/v1/collections/" + t.c().id() + "/grants/" + t.keyId())));
        // ---- outside the API: open, or admin only
        rows.add(new Row(
                "GET /v1/no-such-endpoint (unknown route)",
                "401 401 401 404 404 404 404 404",
                null,
                Fresh.NO,
                (t, k) -> as(k).get("/v1/no-such-endpoint")));
        rows.add(new Row(
                "GET /q/health/ready (open)",
                "200 200 200 200 200 200 200 200",
                null,
                Fresh.NO,
                (t, k) -> as(k).get("/q/health/ready")));
        rows.add(new Row(
                "GET / (web UI, open)", "200 200 200 200 200 200 200 200", null, Fresh.NO, (t, k) -> as(k).get("/")));
        rows.add(new Row("GET /q/metrics (admin)", adminOnly, null, Fresh.NO, (t, k) -> as(k).get("/q/metrics")));
        return rows;
    }

    /** One conversation per collection, created by the global admin, with one turn. */
    private static final Map<String, String> CONVERSATIONS = new java.util.concurrent.ConcurrentHashMap<>();

    private static String adminConversation(Coll c) {
        return CONVERSATIONS.computeIfAbsent(c.id(), id -> {
            String conversation = newAdminConversation(c);
            as(AuthFixture.get().admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of("question", "What thickens downstream?", "conversationId", conversation))
                    .post("/v1/collections/" + id + "/ask")
                    .then()
                    .statusCode(200);
            return conversation;
        });
    }

    private static String newAdminConversation(Coll c) {
        return as(AuthFixture.get().admin)
                .contentType(ContentType.JSON)
                .body(Map.of())
                .post("/v1/collections/" + c.id() + "/conversations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** One import per collection, made by the admin and finished before it is used. */
    private static final Map<String, String> IMPORTS = new java.util.concurrent.ConcurrentHashMap<>();

    private static String importOf(AuthFixture f, Coll c) {
        return IMPORTS.computeIfAbsent(c.id(), id -> {
            String importId = as(f.admin)
                    .multiPart("archive", archive().toFile())
                    .post("/v1/collections/" + id + "/imports")
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("id");
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofMinutes(2))
                    .until(() -> "done"
                            .equals(as(f.admin)
                                    .get("/v1/imports/" + importId)
                                    .then()
                                    .extract()
                                    .path("status")));
            return importId;
        });
    }

    /** A zip with one small text file (new bytes each time, so each import has a file to ingest). */
    private static java.nio.file.Path archive() {
        try {
            java.nio.file.Path zip = java.nio.file.Files.createTempFile("access-", ".zip");
            zip.toFile().deleteOnExit();
            try (var out = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(zip))) {
                out.putNextEntry(new java.util.zip.ZipEntry("note.txt"));
                out.write(("A note on boundary layers " + java.util.UUID.randomUUID())
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.closeEntry();
            }
            return zip;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, Object> chat(String model, boolean stream) {
        return Map.of(
                "model",
                model,
                "stream",
                stream,
                "messages",
                List.of(Map.of("role", "user", "content", "What thickens downstream?")));
    }

    @Test
    void everyEndpointAnswersEveryKeyAsTheMatrixSays() {
        AuthFixture f = AuthFixture.get();
        List<String> keys = Arrays.asList(
                null,
                dev.omnirag.server.security.ApiKeys.generate(),
                f.revoked,
                f.admin,
                f.aRead,
                f.aWrite,
                f.aAdmin,
                f.bRead);
        List<String> failures = new ArrayList<>();
        StringBuilder table =
                new StringBuilder(String.format("%-58s %-4s %s%n", "route", "coll", String.join(" ", KEY_NAMES)));
        int cells = 0;
        for (Row row : rows(f)) {
            Map<String, String> expectations = new LinkedHashMap<>();
            expectations.put("A", row.onA());
            if (row.onB() != null) {
                expectations.put("B", row.onB());
            }
            for (var e : expectations.entrySet()) {
                Coll base = e.getKey().equals("A") ? f.a : f.b;
                String[] expected = e.getValue().split(" ");
                assertThat(expected).as(row.route()).hasSize(keys.size());
                List<String> got = new ArrayList<>();
                for (int i = 0; i < keys.size(); i++) {
                    boolean succeeds = expected[i].startsWith("2");
                    Target t = target(f, row.fresh(), base, succeeds);
                    int status = row.call().apply(t, keys.get(i)).statusCode();
                    cells++;
                    got.add(Integer.toString(status));
                    if (status != Integer.parseInt(expected[i])) {
                        failures.add(row.route() + " on " + (row.onB() == null ? "-" : e.getKey()) + " with key "
                                + KEY_NAMES.get(i) + ": expected " + expected[i] + ", got " + status);
                    }
                }
                table.append(String.format(
                        "%-58s %-4s %s%n", row.route(), row.onB() == null ? "-" : e.getKey(), String.join(" ", got)));
            }
        }
        LOG.infof("Access matrix (%d cells):%n%s", cells, table);
        assertThat(failures).as("cells that differ from the matrix").isEmpty();
    }

    /** The target of one cell: the shared collection, or a new one (collection, key or grant) when the call destroys it. */
    private static Target target(AuthFixture f, Fresh fresh, Coll base, boolean succeeds) {
        switch (fresh) {
            case COLLECTION:
                return new Target(succeeds ? f.freshLike(base) : base, f.victimId);
            case KEY:
                return new Target(
                        base, succeeds ? f.key("doomed", false, List.of()).getString("id") : f.victimId);
            case GRANT:
                as(f.admin)
                        .contentType(ContentType.JSON)
                        .body(Map.of("role", "read"))
                        .put("/v1/collections/" + base.id() + "/grants/" + f.victimId)
                        .then()
                        .statusCode(200);
                return new Target(base, f.victimId);
            default:
                return new Target(base, f.victimId);
        }
    }

    /** Every resource method under dev.omnirag.server has a row (by method, path and body/stream variant). */
    @Test
    void theMatrixCoversEveryResourceMethod() {
        Set<String> table = new TreeSet<>();
        rows(null).forEach(r -> table.add(r.route()));
        Set<String> missing = new TreeSet<>();
        for (ResourceRoutes.Route r : ResourceRoutes.all()) {
            String route = r.http() + " " + r.path() + variant(r.method());
            if (!table.contains(route)) {
                missing.add(route + " (" + r.method().getDeclaringClass().getSimpleName() + "."
                        + r.method().getName() + ")");
            }
        }
        assertThat(table).as("the table was read").hasSizeGreaterThan(20);
        assertThat(missing)
                .as("resource methods without a row in the access matrix")
                .isEmpty();
    }

    private static String variant(Method m) {
        Consumes c = m.getAnnotation(Consumes.class);
        if (c != null && Arrays.stream(c.value()).anyMatch(v -> v.startsWith("multipart/"))) {
            return " [multipart]";
        }
        Produces p = m.getAnnotation(Produces.class);
        if (p != null && Arrays.asList(p.value()).contains("text/event-stream")) {
            return " [sse]";
        }
        return "";
    }
}
