package dev.omnirag.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.omnirag.embeddings.TinyClip;
import dev.omnirag.index.bench.PgliteServer;
import dev.omnirag.media.TinyWhisper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The native image path on the pgvector backend: the tiny CLIP-layout ONNX model ({@link TinyClip}) as the
 * multimodal embedder and {@code omnirag.index.backend=PGVECTOR} with real PostgreSQL + pgvector (pglite, started
 * by {@link Pglite}). Pictures without text, all named photo.png, are found by a text query through the native
 * vectors stored in the collection's {@code native_embedding} column, and by an image query. The same profile
 * configures a tiny whisper.cpp model ({@link TinyWhisper}), so a recording goes through whisper-jni end to end.
 */
@QuarkusTest
@TestProfile(MultimodalNativePgvectorTest.TinyClipOnPgvector.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class MultimodalNativePgvectorTest {

    /** pglite (PostgreSQL + pgvector) on a free port, as the vector store. */
    public static class Pglite implements QuarkusTestResourceLifecycleManager {
        static volatile PgliteServer server;

        @Override
        public Map<String, String> start() {
            server = PgliteServer.start(PgliteServer.defaultPackageDir(), null, 20);
            return Map.of(
                    "omnirag.index.backend",
                    "PGVECTOR",
                    "omnirag.index.pgvector.url",
                    server.jdbcUrl(),
                    "omnirag.index.pgvector.username",
                    "postgres",
                    "omnirag.index.pgvector.password",
                    "postgres");
        }

        @Override
        public void stop() {
            if (server != null) {
                server.close();
                server = null;
            }
        }
    }

    /**
     * The tiny dual encoder as the multimodal embedder, vectors in pglite, and a tiny whisper.cpp model as the speech
     * recogniser (in-process native models load once per JVM, so they share this profile's JVM).
     */
    public static class TinyClipOnPgvector implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Path dir = TinyClip.write(Path.of("target/tiny-clip-pgvector").toAbsolutePath());
            Path whisper = TinyWhisper.write(
                    Path.of("target/tiny-whisper/ggml-tiny-test.bin").toAbsolutePath(), 42);
            return Map.of(
                    "omnirag.multimodal.embedder",
                    "CLIP_ONNX",
                    "omnirag.multimodal.clip-directory",
                    dir.toString(),
                    "omnirag.multimodal.space-name",
                    "tiny-clip",
                    "omnirag.multimodal.threads",
                    "1",
                    "omnirag.asr.whisper-model",
                    whisper.toString(),
                    "omnirag.asr.whisper-threads",
                    "1");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Pglite.class));
        }
    }

    @Test
    void picturesAreFoundByTextAndImageQueriesThroughNativeVectorsInPgvector() throws Exception {
        JsonPath created = given().contentType(ContentType.JSON)
                .body(Map.of("name", "pictures-pgvector"))
                .post("/v1/collections")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        assertThat(created.getString("nativeSpace")).isEqualTo("tiny-clip");
        String collection = created.getString("id");
        Map<String, String> documentByColour = new HashMap<>();
        for (Map.Entry<String, Color> e : Map.of("red", Color.RED, "green", Color.GREEN, "blue", Color.BLUE)
                .entrySet()) {
            Path dir = Files.createTempDirectory("pg-pictures-" + e.getKey());
            Path file = Files.write(
                    dir.resolve("photo.png"),
                    MultimodalNativeTest.png(MultimodalNativeTest.solid(e.getValue(), 120, 90)));
            JsonPath job = TestSupport.ingest(collection, file);
            assertThat(job.getString("status"))
                    .as("%s: %s", e.getKey(), job.getString("error"))
                    .isEqualTo("succeeded");
            documentByColour.put(e.getKey(), job.getString("documentId"));
        }

        // The native vectors are in pgvector: one 3-d native_embedding per picture in the collection's table.
        String table = "omnirag_chunks_" + collection.replace("-", "");
        try (Connection c = DriverManager.getConnection(Pglite.server.jdbcUrl(), "postgres", "postgres");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*), min(vector_dims(native_embedding)) FROM " + table
                        + " WHERE native_embedding IS NOT NULL")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(3);
            assertThat(rs.getInt(2)).isEqualTo(3);
        }

        for (String colour : List.of("red", "green", "blue")) {
            JsonPath r = given().contentType(ContentType.JSON)
                    .body(Map.of("query", "something " + colour, "mode", "vector", "fusion", "weighted", "k", 3))
                    .post("/v1/collections/" + collection + "/search")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(r.getString("results[0].documentId")).as(colour).isEqualTo(documentByColour.get(colour));
            assertThat(r.getString("results[0].text")).isEqualTo("photo.png");
            assertThat(r.getInt("results[0].locator.page")).isEqualTo(1);
        }

        Path query = Files.write(
                Files.createTempDirectory("pg-query").resolve("query.png"),
                MultimodalNativeTest.png(MultimodalNativeTest.solid(new Color(230, 20, 10), 64, 64)));
        JsonPath byImage = given().multiPart("image", query.toFile(), "image/png")
                .multiPart("k", "3")
                .post("/v1/collections/" + collection + "/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(byImage.getString("results[0].documentId")).isEqualTo(documentByColour.get("red"));
    }

    @Test
    void searchesBorrowConnectionsFromOnePoolInsteadOfOpeningOneEach() throws Exception {
        String collection = given().contentType(ContentType.JSON)
                .body(Map.of("name", "pooled-pgvector"))
                .post("/v1/collections")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        Path dir = Files.createTempDirectory("pg-pooled");
        JsonPath job = TestSupport.ingest(
                collection,
                Files.write(
                        dir.resolve("notes.md"),
                        "Pooled connections are borrowed and returned."
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(job.getString("status")).isEqualTo("succeeded");

        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(pool.submit(() -> given().contentType(ContentType.JSON)
                        .body(Map.of("query", "pooled connections"))
                        .post("/v1/collections/" + collection + "/search")
                        .then()
                        .extract()
                        .statusCode()));
            }
            for (var call : calls) {
                assertThat(call.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        // 40 searches, 8 at a time: the pool holds a few connections, never one per search.
        assertThat(indexes.vectorStoreConnections()).isBetween(1L, 16L);
    }

    @jakarta.inject.Inject
    dev.omnirag.server.search.CollectionIndexes indexes;

    @Test
    void aRecordingIsTranscribedByWhisperCppIntoTimedChunks() {
        // The tiny model's words are gibberish: the job, its message and the chunk's times are what is checked.
        String collection = TestSupport.createCollection("whisper");
        JsonPath job = TestSupport.ingest(collection, TestSupport.shared("media/audio/jfk.wav"));
        assertThat(job.getString("status")).as(job.getString("error")).isEqualTo("succeeded");
        assertThat(job.getString("message")).contains("transcribed 11 s of audio with whisper.cpp");
        String documentId = job.getString("documentId");
        JsonPath doc = given().get("/v1/documents/" + documentId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(doc.getInt("chunkCount")).isGreaterThanOrEqualTo(1);
        JsonPath any = given().contentType(ContentType.JSON)
                .body(Map.of("query", "w", "mode", "vector", "k", 1))
                .post("/v1/collections/" + collection + "/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        System.out.println("whisper.cpp (tiny model) chunk of jfk.wav: " + any.getMap("results[0]"));
        assertThat(any.getString("results[0].documentId")).isEqualTo(documentId);
        long start = any.getLong("results[0].locator.startMs");
        long end = any.getLong("results[0].locator.endMs");
        assertThat(start).isBetween(0L, 11_000L);
        assertThat(end).isBetween(start, 11_001L);
    }
}
