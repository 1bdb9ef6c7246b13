package dev.omnirag.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnirag.index.LuceneHybridIndex;
import dev.omnirag.server.eval.TestCollection;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A whole collection as one archive, with a crash in the middle: NPL's 11,429 documents go to the packaged server as
 * one zip import; the server is killed with SIGKILL while it is still unpacking (some files already ingested, some
 * queued, the rest not yet read) and started again on the same data directory. The import then resumes and ends
 * with every distinct text a ready document exactly once: one document per text, one job per document, its chunks
 * once in the index.
 */
class ImportCrashIT {

    @RegisterExtension
    final PackagedServers servers = new PackagedServers("import-crash-it-home");

    private static final Map<String, String> ENV = Map.of(
            "OMNIRAG_INGEST_LEASE", "6s",
            "OMNIRAG_INGEST_POLL_INTERVAL", "200ms");

    private PackagedServer server;

    @Test
    void everyFileOfAnArchiveIsIngestedExactlyOnceAfterASigkillWhileUnpacking() throws Exception {
        Map<String, String> documents = TestCollection.read(
                        TestSupport.shared("corpora/npl"), TestCollection.Format.TREC)
                .documents();
        Path zip = servers.home().resolve("npl.zip");
        Set<String> distinct = new HashSet<>();
        Map<String, String> firstNameOfText = new HashMap<>();
        try (OutputStream raw = Files.newOutputStream(zip);
                ZipOutputStream out = new ZipOutputStream(raw)) {
            for (var d : documents.entrySet()) {
                String name = "npl/" + d.getKey() + ".txt";
                out.putNextEntry(new ZipEntry(name));
                out.write(d.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
                if (distinct.add(d.getValue())) {
                    firstNameOfText.put(d.getValue(), name);
                }
            }
        }
        System.out.printf(
                "ImportCrashIT: %d files, %d distinct texts, archive %d bytes%n",
                documents.size(), distinct.size(), Files.size(zip));

        start();
        String collection = server.api()
                .contentType(ContentType.JSON)
                .body(Map.of("name", "npl"))
                .post("/v1/collections")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String id = server.api()
                .multiPart("archive", zip.toFile())
                .post("/v1/collections/" + collection + "/imports")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        // Killed while unpacking, once some files are ingested: files ready, queued and not yet read at once.
        JsonPath atKill = Awaitility.await()
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> importOf(id),
                        i -> i.getInt("jobs.succeeded") >= 50
                                || !i.getString("status").equals("unpacking"));
        int exit = server.kill();
        assertThat(exit).as("killed by SIGKILL (128 + 9)").isEqualTo(137);
        System.out.printf(
                "ImportCrashIT: killed with status %s, %d entries read, %d files ready%n",
                atKill.getString("status"), atKill.getInt("entries"), atKill.getInt("jobs.succeeded"));
        assertThat(atKill.getString("status")).as("killed while unpacking").isEqualTo("unpacking");
        assertThat(atKill.getInt("entries")).isLessThan(documents.size());

        long restarted = System.nanoTime();
        start();
        JsonPath done = Awaitility.await()
                .atMost(Duration.ofMinutes(10))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> importOf(id), i -> i.getString("status").equals("done"));
        double seconds = (System.nanoTime() - restarted) / 1e9;
        System.out.printf("ImportCrashIT: done %.0f s after the restart: %s%n", seconds, done.prettify());
        assertThat(done.getInt("entries")).isEqualTo(documents.size());
        assertThat(done.getInt("skipped")).isZero();
        assertThat(done.getInt("files")).isEqualTo(distinct.size());
        assertThat(done.getInt("files") + done.getInt("duplicates")).isEqualTo(documents.size());
        assertThat(done.getInt("jobs.succeeded")).isEqualTo(distinct.size());
        assertThat(done.getInt("jobs.failed")).isZero();

        List<Map<String, Object>> listed = server.api()
                .get("/v1/collections/" + collection + "/documents")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("documents");
        assertThat(listed).hasSize(distinct.size());
        assertThat(listed)
                .extracting(d -> d.get("filename"))
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(firstNameOfText.values());
        assertThat(listed).allMatch(d -> "ready".equals(d.get("status")));
        Map<String, Long> chunks = new HashMap<>();
        listed.forEach(d -> chunks.put((String) d.get("id"), ((Number) d.get("chunkCount")).longValue()));
        int dimensions = server.api()
                .get("/v1/collections/" + collection)
                .then()
                .statusCode(200)
                .extract()
                .path("dimensions");
        assertThat(server.stop()).isTrue();
        server = null;

        // The index on disk holds exactly each document's chunks, once.
        try (LuceneHybridIndex index = LuceneHybridIndex.builder()
                .path(servers.home().resolve("indexes").resolve(collection))
                .dimensions(dimensions)
                .build()) {
            assertThat(index.documentChunkCounts()).isEqualTo(chunks);
        }
    }

    private JsonPath importOf(String id) {
        return server.api()
                .get("/v1/imports/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private void start() throws Exception {
        server = servers.start(ENV);
    }
}
