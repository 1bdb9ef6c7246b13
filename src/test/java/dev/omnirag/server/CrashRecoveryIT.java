package dev.omnirag.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnirag.index.LuceneHybridIndex;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Crash safety end to end: the packaged server ingests 200 documents, is killed with SIGKILL mid-way (right after
 * a burst of uploads once a quarter are ready, so jobs are queued and running), and is started again on the same
 * data directory, where the rest are uploaded. Every document must then be ready exactly once,
 * with exactly its chunks in the database, the API, search and the Lucene index itself, and no search may return
 * a chunk twice.
 *
 * <p>Chunk counts are known in advance: chunks are set to 48 tokens without overlap and every sentence is 26
 * to 32 tokens long (common words, one token each), so no two sentences fit one chunk and each is a chunk. The restarted server has another port, hence another worker
 * name, so the killed server's running jobs are taken over when their (short) lease expires, as on another
 * replica; documents queued at the crash are simply claimed.
 */
class CrashRecoveryIT {

    @RegisterExtension
    final PackagedServers servers = new PackagedServers("crash-it-home");

    private static final int DOCUMENTS = 200;
    private static final String[] WORDS = ("wing flow model pressure drag heat layer boundary shock speed test tunnel "
                    + "air plate cone surface edge angle lift body nose tail jet engine fuel wave sound cold hot thin thick "
                    + "long short high low small large fast slow water steel glass paper metal stone light dark")
            .split(" ");
    private static final Map<String, String> ENV = Map.of(
            "OMNIRAG_INGEST_CHUNK_TOKENS", "48",
            "OMNIRAG_INGEST_CHUNK_OVERLAP_TOKENS", "0",
            "OMNIRAG_INGEST_LEASE", "6s",
            "OMNIRAG_INGEST_POLL_INTERVAL", "200ms");

    private PackagedServer server;

    @Test
    void everyDocumentIsIngestedExactlyOnceAfterASigkillMidway() throws Exception {
        Path files = Files.createDirectories(servers.home().resolve("upload"));
        long seed = new Random().nextLong();
        System.out.println("CrashRecoveryIT seed=" + seed);
        Random random = new Random(seed);
        Map<String, Integer> expected = new HashMap<>(); // filename -> chunks
        for (int i = 0; i < DOCUMENTS; i++) {
            int sentences = 1 + random.nextInt(8);
            StringBuilder text = new StringBuilder();
            for (int s = 0; s < sentences; s++) {
                text.append(s == 0 ? "Report " + i + " says" : "Then").append(' ');
                int words = 24 + random.nextInt(5);
                for (int w = 0; w < words; w++) {
                    text.append(WORDS[random.nextInt(WORDS.length)]).append(w == words - 1 ? ". " : " ");
                }
            }
            String name = "report-" + i + ".md";
            Files.writeString(files.resolve(name), text.toString().strip() + "\n");
            expected.put(name, sentences);
        }

        start();
        String collection = server.api()
                .contentType(ContentType.JSON)
                .body(Map.of("name", "crash"))
                .post("/v1/collections")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        Map<String, String> documents = new HashMap<>(); // filename -> document id
        Map<String, String> jobs = new HashMap<>(); // filename -> job id
        // Uploads go in bursts of 10 files, each burst one request that queues its 10 jobs at once; once a quarter of
        // the documents are ready the server is killed right after a burst, so jobs are queued or running at that
        // moment however fast the machine ingests (it cannot ingest 10 files in the time it takes to count).
        // Documents not yet uploaded are uploaded after the restart.
        int uploaded = 0;
        int readyAtKill = -1;
        while (uploaded < DOCUMENTS) {
            uploadBurst(collection, files, uploaded, 10, documents, jobs);
            uploaded += 10;
            if (uploaded < DOCUMENTS && (readyAtKill = countReady(collection)) >= DOCUMENTS / 4) {
                break;
            }
            readyAtKill = -1;
        }
        if (readyAtKill < 0) {
            // A slow machine: all uploaded before a quarter were ready; kill once a third are.
            readyAtKill = org.awaitility.Awaitility.await("a third of the documents ingested")
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> countReady(collection), n -> n >= DOCUMENTS / 3);
        }
        int exit = server.kill();
        assertThat(exit).as("killed by SIGKILL (128 + 9)").isEqualTo(137);
        System.out.println("CrashRecoveryIT killed the server with " + readyAtKill + " ready of " + uploaded
                + " uploaded (" + DOCUMENTS + " in all)");
        assertThat(readyAtKill).as("killed mid-way").isLessThan(uploaded);

        start();
        while (uploaded < DOCUMENTS) {
            upload(collection, files, uploaded++, documents, jobs);
        }
        org.awaitility.Awaitility.await("every document ingested after the restart")
                .atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> countReady(collection) >= DOCUMENTS);

        List<Map<String, Object>> listed = server.api()
                .get("/v1/collections/" + collection + "/documents")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("documents");
        assertThat(listed).hasSize(DOCUMENTS);
        assertThat(listed)
                .extracting(d -> d.get("filename"))
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        Set<String> seenChunks = new HashSet<>();
        for (Map<String, Object> doc : listed) {
            String name = (String) doc.get("filename");
            String id = (String) doc.get("id");
            assertThat(id).isEqualTo(documents.get(name));
            assertThat(doc.get("status")).as(name).isEqualTo("ready");
            assertThat(doc.get("chunkCount")).as("chunks of %s", name).isEqualTo(expected.get(name));
            // Search restricted to the document returns each of its chunks once: ordinals 0..n-1, nothing else.
            List<String> chunkIds = server.api()
                    .contentType(ContentType.JSON)
                    .body(Map.of(
                            "query",
                            "wing flow pressure",
                            "k",
                            100,
                            "mode",
                            "vector",
                            "filter",
                            Map.of("documentId", id)))
                    .post("/v1/collections/" + collection + "/search")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("results.chunkId");
            assertThat(chunkIds)
                    .as("chunks of %s in search", name)
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, expected.get(name))
                            .mapToObj(o -> id + ":v1:" + o)
                            .toList());
            seenChunks.addAll(chunkIds);
        }
        // Each document has one job, which succeeded, and exactly its chunk rows.
        for (Map.Entry<String, String> upload : jobs.entrySet()) {
            JsonPath job = server.api()
                    .get("/v1/jobs/" + upload.getValue())
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(job.getString("status")).as("job of %s", upload.getKey()).isEqualTo("succeeded");
        }
        Map<String, long[]> rows = jobsAndChunkRows(collection);
        assertThat(rows).hasSize(DOCUMENTS);
        documents.forEach((name, id) -> assertThat(rows.get(id))
                .as("succeeded jobs, jobs, chunk rows of %s", name)
                .containsExactly(1, 1, expected.get(name)));
        for (int q = 0; q < 40; q++) {
            String query = WORDS[q % WORDS.length] + " " + WORDS[(q * 7 + 3) % WORDS.length] + " report " + q;
            for (String mode : List.of("hybrid", "keyword", "vector")) {
                List<String> hits = server.api()
                        .contentType(ContentType.JSON)
                        .body(Map.of("query", query, "k", 100, "mode", mode))
                        .post("/v1/collections/" + collection + "/search")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("results.chunkId");
                assertThat(hits).as("%s search '%s'", mode, query).doesNotHaveDuplicates();
                assertThat(seenChunks).containsAll(hits);
            }
        }
        int dimensions = server.api()
                .get("/v1/collections/" + collection)
                .then()
                .statusCode(200)
                .extract()
                .path("dimensions");
        assertThat(server.stop()).isTrue();
        server = null;

        // The index on disk holds exactly the expected chunks of every document, nothing else.
        try (LuceneHybridIndex index = LuceneHybridIndex.builder()
                .path(servers.home().resolve("indexes").resolve(collection))
                .dimensions(dimensions)
                .build()) {
            Map<String, Long> counts = index.documentChunkCounts();
            Map<String, Long> want = new HashMap<>();
            documents.forEach((name, id) -> want.put(id, (long) expected.get(name)));
            assertThat(counts).isEqualTo(want);
            assertThat(index.count())
                    .isEqualTo(want.values().stream().mapToLong(Long::longValue).sum());
        }
    }

    /**
     * Per document of the collection: {succeeded jobs, all jobs, chunk rows}, read from the server's embedded
     * PostgreSQL (its port is in the log, its password in the data directory).
     */
    private Map<String, long[]> jobsAndChunkRows(String collection) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Embedded PostgreSQL running on 127.0.0.1:(\\d+)")
                .matcher(Files.readString(server.log()));
        String port = null;
        while (m.find()) {
            port = m.group(1);
        }
        assertThat(port).as("embedded PostgreSQL port in %s", server.log()).isNotNull();
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", "omnirag");
        props.setProperty(
                "password",
                Files.readString(servers.home().resolve("postgres/password")).trim());
        Map<String, long[]> out = new HashMap<>();
        try (java.sql.Connection c =
                        new org.postgresql.Driver().connect("jdbc:postgresql://127.0.0.1:" + port + "/omnirag", props);
                java.sql.PreparedStatement ps = c.prepareStatement("SELECT d.id, "
                        + "(SELECT count(*) FROM jobs j WHERE j.document_id = d.id AND j.status = 'succeeded'), "
                        + "(SELECT count(*) FROM jobs j WHERE j.document_id = d.id), "
                        + "(SELECT count(*) FROM chunks k WHERE k.document_id = d.id) "
                        + "FROM documents d WHERE d.collection_id = ?::uuid")) {
            ps.setString(1, collection);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                }
            }
        }
        return out;
    }

    private void upload(String collection, Path files, int i, Map<String, String> documents, Map<String, String> jobs) {
        String name = "report-" + i + ".md";
        JsonPath upload = server.api()
                .multiPart("file", files.resolve(name).toFile(), "text/markdown")
                .post("/v1/collections/" + collection + "/documents")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath();
        documents.put(name, upload.getString("documentId"));
        jobs.put(name, upload.getString("jobId"));
    }

    /** Uploads files {@code from} .. {@code from + n - 1} in one request: their jobs are queued together. */
    private void uploadBurst(
            String collection, Path files, int from, int n, Map<String, String> documents, Map<String, String> jobs) {
        var request = server.api();
        for (int i = from; i < from + n; i++) {
            request = request.multiPart(
                    "file", files.resolve("report-" + i + ".md").toFile(), "text/markdown");
        }
        List<Map<String, Object>> queued = request.post("/v1/collections/" + collection + "/documents")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getList("documents");
        assertThat(queued).hasSize(n);
        for (int i = 0; i < n; i++) {
            Map<String, Object> d = queued.get(i); // in the order of the request's files
            String name = "report-" + (from + i) + ".md";
            assertThat(d).as(name).containsEntry("duplicate", false);
            documents.put(name, (String) d.get("documentId"));
            jobs.put(name, (String) d.get("jobId"));
        }
    }

    private int countReady(String collection) {
        List<String> statuses = server.api()
                .get("/v1/collections/" + collection + "/documents")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("documents.status");
        return (int) statuses.stream().filter("ready"::equals).count();
    }

    private void start() throws Exception {
        server = servers.start(ENV);
    }
}
