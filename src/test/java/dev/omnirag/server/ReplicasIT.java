package dev.omnirag.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnirag.index.bench.PgliteServer;
import dev.omnirag.server.db.ManagedPostgres;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two server processes against one metadata PostgreSQL and one pgvector store, sharing one blob directory:
 * what one writes the other serves, and when the replica running an ingestion is killed (SIGKILL), the other
 * takes the job over once its lease expires and finishes it without duplicating anything.
 *
 * <p>Metadata lives in a real PostgreSQL (the embedded one) and vectors in pglite (real PostgreSQL + pgvector
 * compiled to WebAssembly), because pglite serves all connections from one session and interleaves the
 * extended-protocol messages of concurrent clients: the reactive client's statements would trip over each
 * other. The vector backend reaches pglite over JDBC's simple protocol, which it serves correctly. In
 * production both live in one PostgreSQL with pgvector (see docs/scaling.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicasIT {

    private static final Path ROOT = Path.of("target/replicas-it").toAbsolutePath();

    /** Both replicas' home ({@code replicas-it/home}), their logs beside it; stopped explicitly, before the databases. */
    @RegisterExtension
    static final PackagedServers servers = new PackagedServers("replicas-it/home");

    private ManagedPostgres metadata;
    private PgliteServer vectors;
    private Replica a;
    private Replica b;

    private record Replica(String name, PackagedServer server) {
        RequestSpecification api() {
            return server.api();
        }

        int port() {
            return server.port();
        }
    }

    @BeforeAll
    void startEverything() throws Exception {
        PostgresTestResource.delete(ROOT.resolve("postgres/data"));
        metadata = ManagedPostgres.start(ROOT.resolve("postgres"), Duration.ofSeconds(120));
        vectors = PgliteServer.start(PgliteServer.defaultPackageDir(), null, 20);
        a = start("a");
        b = start("b");
    }

    @AfterAll
    void stopEverything() throws Exception {
        for (Replica r : new Replica[] {a, b}) {
            if (r != null) {
                r.server().stop();
            }
        }
        if (vectors != null) {
            vectors.close();
        }
        if (metadata != null) {
            metadata.close();
        }
    }

    @Test
    void whatOneReplicaWritesTheOtherServesAndAKilledReplicasJobIsFinishedByTheOther() throws Exception {
        // Upload on A, everything visible on B.
        String collection = a.api()
                .contentType(ContentType.JSON)
                .body(Map.of("name", "shared"))
                .post("/v1/collections")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        b.api().get("/v1/collections/" + collection).then().statusCode(200);
        Path note = Files.writeString(
                ROOT.resolve("home/flaps.txt"),
                "Trailing edge flaps raise the maximum lift coefficient during landing approach.");
        JsonPath upload = a.api()
                .multiPart("file", note.toFile())
                .post("/v1/collections/" + collection + "/documents")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath();
        assertThat(awaitJob(b, upload.getString("jobId")).getString("status")).isEqualTo("succeeded");
        List<String> found = b.api()
                .contentType(ContentType.JSON)
                .body(Map.of("query", "landing flaps lift", "k", 3))
                .post("/v1/collections/" + collection + "/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("results.filename");
        assertThat(found).containsExactly("flaps.txt");
        b.api()
                .get("/v1/documents/" + upload.getString("documentId") + "/content")
                .then()
                .statusCode(200);

        // A long ingestion; kill whichever replica claimed it while it is embedding.
        JsonPath big = a.api()
                .multiPart(
                        "file", TestSupport.shared("media/pdf/tracemonkey.pdf").toFile())
                .post("/v1/collections/" + collection + "/documents")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath();
        String jobId = big.getString("jobId");
        String documentId = big.getString("documentId");
        JsonPath running = awaitRunning(a, jobId);
        String holder = running.getString("worker");
        Replica victim = holder.endsWith(":" + a.port()) ? a : b;
        Replica survivor = victim == a ? b : a;
        victim.server().kill();
        System.out.printf(
                "killed replica %s at progress %.2f; %s takes over%n",
                victim.name(), running.getDouble("progress"), survivor.name());

        JsonPath done = awaitJob(survivor, jobId);
        assertThat(done.getString("status"))
                .as("error: %s", done.getString("error"))
                .isEqualTo("succeeded");
        assertThat(done.getInt("attempts")).isEqualTo(2);
        assertThat(done.getString("worker")).endsWith(":" + survivor.port());
        int chunkCount = survivor.api()
                .get("/v1/documents/" + documentId)
                .then()
                .statusCode(200)
                .extract()
                .path("chunkCount");
        assertThat(chunkCount).isGreaterThan(20);

        // Exactly one copy of every chunk: in the vector table, in the metadata, and in search results.
        try (Connection c = DriverManager.getConnection(vectors.jdbcUrl(), "postgres", "postgres");
                PreparedStatement ps =
                        c.prepareStatement("SELECT count(*), count(DISTINCT chunk_id) FROM omnirag_chunks_"
                                + collection.replace("-", "") + " WHERE document_id = ?")) {
            ps.setString(1, documentId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(chunkCount);
                assertThat(rs.getInt(2)).isEqualTo(chunkCount);
            }
        }
        try (Connection c = DriverManager.getConnection(metadata.jdbcUrl(), metadata.username(), metadata.password());
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM chunks WHERE document_id = ?::uuid")) {
            ps.setString(1, documentId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(chunkCount);
            }
        }
        List<String> ids = survivor.api()
                .contentType(ContentType.JSON)
                .body(Map.of("query", "trace tree", "k", 100, "filter", Map.of("documentId", documentId)))
                .post("/v1/collections/" + collection + "/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("results.chunkId");
        assertThat(ids).isNotEmpty();
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
    }

    private JsonPath awaitRunning(Replica replica, String jobId) throws InterruptedException {
        return Awaitility.await("job " + jobId + " under way")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> replica.api()
                                .get("/v1/jobs/" + jobId)
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath(),
                        job -> {
                            assertThat(job.getString("status"))
                                    .as("the job finished before it could be interrupted")
                                    .isNotIn("succeeded", "failed");
                            return "running".equals(job.getString("status"))
                                    && job.getDouble("progress") >= 0.15
                                    && job.getString("worker") != null;
                        });
    }

    private JsonPath awaitJob(Replica replica, String jobId) throws InterruptedException {
        return Awaitility.await("job " + jobId + " finished on replica " + replica.name())
                .atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> replica.api()
                                .get("/v1/jobs/" + jobId)
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath(),
                        job -> List.of("succeeded", "failed").contains(job.getString("status")));
    }

    private Replica start(String name) throws IOException, InterruptedException {
        Map<String, String> env = Map.of(
                "OMNIRAG_DATASOURCE_URL", "postgresql://127.0.0.1:" + metadata.port() + "/" + metadata.database(),
                "OMNIRAG_DATASOURCE_USERNAME", metadata.username(),
                "OMNIRAG_DATASOURCE_PASSWORD", metadata.password(),
                "OMNIRAG_INDEX_BACKEND", "PGVECTOR",
                "OMNIRAG_INDEX_PGVECTOR_URL", vectors.jdbcUrl(),
                "OMNIRAG_INDEX_PGVECTOR_USERNAME", "postgres",
                "OMNIRAG_INDEX_PGVECTOR_PASSWORD", "postgres",
                "OMNIRAG_INGEST_LEASE", "4s",
                "OMNIRAG_INGEST_EMBED_BATCH", "4",
                "OMNIRAG_EMBEDDER_THREADS", "1");
        PackagedServer server = servers.start(ROOT.resolve("replica-" + name + ".log"), env, List.of());
        return new Replica(name, server);
    }
}
