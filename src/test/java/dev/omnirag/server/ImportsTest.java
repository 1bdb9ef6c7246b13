package dev.omnirag.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archive imports: each file of a zip or tar archive becomes a document; entries that climb out of the archive,
 * hidden files and unsupported types are skipped with a reason; the same bytes are imported once; a zip bomb stops
 * the import; cancelling fails the files still waiting.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class ImportsTest {

    @Test
    void eachFileOfAZipBecomesADocumentAndUnsafeEntriesAreSkippedWithAReason(@TempDir Path tmp) throws Exception {
        String collection = TestSupport.createCollection("import-zip");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("a.txt", text("Swept wings delay the drag rise near Mach one."));
        entries.put("docs/b.md", text("# Flutter\n\nPanel flutter grows with dynamic pressure."));
        entries.put("docs/c.txt", text("Stagnation point heat transfer on a blunt body."));
        entries.put("../evil.txt", text("written outside the import?"));
        entries.put("/abs.txt", text("an absolute path"));
        entries.put("docs/.DS_Store", new byte[] {0, 0, 0, 1});
        entries.put("blob.bin", new byte[] {0, 1, 2, 3, (byte) 0xff, (byte) 0xfe, 0, 7, 9, 11});
        entries.put("docs/a-copy.txt", text("Swept wings delay the drag rise near Mach one."));
        Path zip = zip(tmp.resolve("papers.zip"), entries);

        JsonPath created = given().multiPart("archive", zip.toFile())
                .multiPart("metadata", "{\"batch\": \"2026\"}")
                .post("/v1/collections/" + collection + "/imports")
                .then()
                .statusCode(202)
                .header("Location", org.hamcrest.Matchers.containsString("/v1/imports/"))
                .extract()
                .jsonPath();
        String id = created.getString("id");
        JsonPath done = awaitEnd(id);

        assertThat(done.getString("status")).isEqualTo("done");
        assertThat(done.getInt("entries")).isEqualTo(8);
        assertThat(done.getInt("files")).isEqualTo(3);
        assertThat(done.getInt("duplicates")).isEqualTo(1);
        assertThat(done.getInt("skipped")).isEqualTo(4);
        assertThat(done.getInt("jobs.succeeded")).isEqualTo(3);
        assertThat(done.getInt("jobs.failed")).isZero();
        Map<String, String> reasons = new LinkedHashMap<>();
        done.getList("skippedFiles", Map.class)
                .forEach(m -> reasons.put((String) m.get("name"), (String) m.get("reason")));
        assertThat(reasons.get("../evil.txt")).contains("climbs out");
        assertThat(reasons.get("/abs.txt")).contains("absolute");
        assertThat(reasons.get("docs/.DS_Store")).contains("hidden");
        assertThat(reasons.get("blob.bin")).contains("unsupported media type");
        assertThat(Files.exists(PostgresTestResource.HOME.resolveSibling("evil.txt")))
                .isFalse();

        List<String> names = documentNames(collection);
        assertThat(names).containsExactlyInAnyOrder("a.txt", "docs/b.md", "docs/c.txt");
        List<String> found = given().contentType("application/json")
                .body(Map.of("query", "panel flutter", "k", 1, "filter", Map.of("metadata", Map.of("batch", "2026"))))
                .post("/v1/collections/" + collection + "/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("results.filename");
        assertThat(found).containsExactly("docs/b.md");

        String events = given().accept("text/event-stream")
                .get("/v1/imports/" + id + "/events")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(events).contains("event:done").contains("\"status\":\"done\"");
    }

    @Test
    void aGzippedTarIsImportedToo(@TempDir Path tmp) throws Exception {
        String collection = TestSupport.createCollection("import-tar");
        Path tar = tmp.resolve("notes.tar.gz");
        try (TarArchiveOutputStream out =
                new TarArchiveOutputStream(new GzipCompressorOutputStream(Files.newOutputStream(tar)))) {
            for (String name : List.of("notes/one.txt", "notes/two.txt")) {
                byte[] body = text("Notes " + name + ": shock tube measurements at station " + name.length() + ".");
                TarArchiveEntry e = new TarArchiveEntry(name);
                e.setSize(body.length);
                out.putArchiveEntry(e);
                out.write(body);
                out.closeArchiveEntry();
            }
            TarArchiveEntry link = new TarArchiveEntry("notes/passwd", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("/etc/passwd");
            out.putArchiveEntry(link);
            out.closeArchiveEntry();
        }
        String id = startImport(collection, tar);
        JsonPath done = awaitEnd(id);
        assertThat(done.getString("status")).isEqualTo("done");
        assertThat(done.getInt("jobs.succeeded")).isEqualTo(2);
        assertThat(done.getString("skippedFiles[0].reason")).contains("links");
    }

    @Test
    void aZipBombStopsTheImportWithAReason(@TempDir Path tmp) throws Exception {
        String collection = TestSupport.createCollection("import-bomb");
        Path zip = tmp.resolve("bomb.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("zeros.txt"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                out.write(zeros);
            }
            out.closeEntry();
        }
        assertThat(Files.size(zip)).isLessThan(1 << 20);
        String id = startImport(collection, zip);
        JsonPath failed = awaitEnd(id);
        assertThat(failed.getString("status")).isEqualTo("failed");
        assertThat(failed.getString("error")).contains("zip bomb");
        assertThat(failed.getInt("files")).isZero();
    }

    @Test
    void aFileThatIsNotAnArchiveIsRefusedAtOnce(@TempDir Path tmp) throws Exception {
        String collection = TestSupport.createCollection("import-plain");
        Path plain = Files.writeString(tmp.resolve("notes.txt"), "not an archive");
        String detail = given().multiPart("archive", plain.toFile())
                .post("/v1/collections/" + collection + "/imports")
                .then()
                .statusCode(415)
                .extract()
                .path("detail");
        assertThat(detail).contains("not a zip or tar archive");
        given().multiPart("file", plain.toFile())
                .post("/v1/collections/" + collection + "/imports")
                .then()
                .statusCode(400);
    }

    @Test
    void cancellingFailsTheFilesStillWaitingAndKeepsTheOthers(@TempDir Path tmp) throws Exception {
        String collection = TestSupport.createCollection("import-cancel");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 400; i++) {
            entries.put(
                    "notes/" + i + ".txt",
                    text("Run " + i + ": the boundary layer separated at station " + (i * 13)
                            + " with a Reynolds number of " + (1000 + i * 7) + "."));
        }
        Path zip = zip(tmp.resolve("many.zip"), entries);
        String id = startImport(collection, zip);
        Awaitility.await()
                .atMost(Duration.ofMinutes(1))
                .until(() -> given().get("/v1/imports/" + id)
                                .then()
                                .extract()
                                .jsonPath()
                                .getInt("files")
                        > 0);
        JsonPath cancelled = given().post("/v1/imports/" + id + "/cancel")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(cancelled.getString("status")).isEqualTo("cancelled");
        JsonPath end = awaitEnd(id);
        assertThat(end.getInt("jobs.queued")).isZero();
        assertThat(end.getInt("jobs.failed"))
                .as("files still waiting when cancelled")
                .isPositive();
        assertThat(end.getInt("jobs.succeeded") + end.getInt("jobs.failed")).isEqualTo(end.getInt("files"));
        String reason = given().get("/v1/collections/" + collection + "/documents")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("documents.find { it.status == 'failed' }.error");
        assertThat(reason).isEqualTo("the import was cancelled");
        // Cancelling an import that ended changes nothing.
        assertThat(given().post("/v1/imports/" + id + "/cancel")
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("status")
                        .toString())
                .isEqualTo("cancelled");
    }

    @Test
    void aGlobalAdminImportsAServerDirectoryInPlaceAndOnlyUnderTheAllowedRoots() throws Exception {
        String collection = TestSupport.createCollection("import-dir");
        Path dir = Files.createDirectories(PostgresTestResource.IMPORT_ROOT.resolve("dir-" + System.nanoTime()));
        Files.createDirectories(dir.resolve("sub"));
        Path a = Files.writeString(dir.resolve("a.txt"), "Boundary layer suction delays transition on a swept wing.");
        Files.writeString(dir.resolve("sub/b.md"), "# Nozzles\n\nA convergent-divergent nozzle accelerates the flow.");
        Files.writeString(dir.resolve(".hidden.txt"), "a hidden file");
        Files.createSymbolicLink(dir.resolve("sub/passwd"), Path.of("/etc/passwd"));

        String id = given().contentType("application/json")
                .body(Map.of("path", dir.toString()))
                .post("/v1/collections/" + collection + "/imports")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        JsonPath done = awaitEnd(id);
        assertThat(done.getString("status")).isEqualTo("done");
        assertThat(done.getInt("jobs.succeeded")).isEqualTo(2);
        assertThat(done.getInt("skipped")).isEqualTo(2);
        assertThat(done.getList("skippedFiles.reason", String.class))
                .anyMatch(r -> r.contains("links"))
                .anyMatch(r -> r.contains("hidden"));
        assertThat(a).as("files are read in place, never removed").exists();
        List<String> names = documentNames(collection);
        assertThat(names).containsExactlyInAnyOrder("a.txt", "sub/b.md");

        // Outside the allowed roots, also through a link inside them: refused.
        Files.createSymbolicLink(dir.resolve("escape"), Path.of("/etc"));
        for (String path :
                List.of("/etc", dir + "/../../..", dir.resolve("escape").toString())) {
            given().contentType("application/json")
                    .body(Map.of("path", path))
                    .post("/v1/collections/" + collection + "/imports")
                    .then()
                    .statusCode(403);
        }
        given().contentType("application/json")
                .body(Map.of("path", dir.resolve("missing").toString()))
                .post("/v1/collections/" + collection + "/imports")
                .then()
                .statusCode(400);
    }

    @Test
    void aMailboxIsImportedOneDocumentPerMessageFoundByItsSenderAndAttachment(@TempDir Path tmp) throws Exception {
        String collection = TestSupport.createCollection("import-mbox");
        java.time.Instant sent = java.time.Instant.parse("2025-03-14T09:30:00Z");
        StringBuilder mbox = new StringBuilder();
        List<byte[]> messages = List.of(
                Mails.plain(
                        "Wind tunnel booking",
                        "Ines Duarte <ines@example.org>",
                        "lab@example.org",
                        sent,
                        "Please book the low speed tunnel for the flap tests."),
                Mails.message(
                        "Flutter results",
                        "Marek Nowak <marek@example.org>",
                        List.of("lab@example.org"),
                        sent.plusSeconds(3600),
                        "Results attached.",
                        "<p>Results attached.</p>",
                        List.of(new Mails.Attachment(
                                "flutter.txt",
                                "text/plain",
                                text("Panel flutter onset measured at a dynamic pressure of 41 kPa.")))),
                Mails.plain(
                        "Wind tunnel booking",
                        "Ines Duarte <ines@example.org>",
                        "lab@example.org",
                        sent,
                        "Please book the low speed tunnel for the flap tests."));
        for (byte[] m : messages) {
            mbox.append("From someone@example.org Fri Mar 14 09:30:00 2025\n")
                    .append(new String(m, StandardCharsets.UTF_8).strip())
                    .append("\n\n");
        }
        Path file = tmp.resolve("Lab.mbox");
        Files.writeString(file, mbox);

        given().multiPart("file", file.toFile())
                .post("/v1/collections/" + collection + "/documents")
                .then()
                .statusCode(415)
                .body("detail", org.hamcrest.Matchers.containsString("import it"));
        String id = startImport(collection, file);
        JsonPath done = awaitEnd(id);

        assertThat(done.getString("status")).isEqualTo("done");
        assertThat(done.getInt("entries")).isEqualTo(3);
        assertThat(done.getInt("files")).isEqualTo(2);
        assertThat(done.getInt("duplicates")).isEqualTo(1);
        assertThat(done.getInt("jobs.succeeded")).isEqualTo(2);
        List<String> names = documentNames(collection);
        assertThat(names).containsExactlyInAnyOrder("00001 Wind tunnel booking.eml", "00002 Flutter results.eml");
        for (String query : List.of("message from Marek Nowak", "dynamic pressure of flutter onset")) {
            JsonPath found = given().contentType("application/json")
                    .body(Map.of("query", query, "k", 1, "mode", "keyword"))
                    .post("/v1/collections/" + collection + "/search")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(found.getList("results.filename", String.class))
                    .as(query)
                    .containsExactly("00002 Flutter results.eml");
            assertThat(found.getString("results[0].text"))
                    .as("the message and its attachment are chunks of their own")
                    .startsWith(query.startsWith("message") ? "Flutter results" : "Attachment: flutter.txt");
        }

        Path eml = tmp.resolve("booking.eml");
        Files.write(eml, messages.getFirst());
        JsonPath job = TestSupport.ingest(TestSupport.createCollection("upload-eml"), eml);
        assertThat(job.getString("status")).isEqualTo("succeeded");
    }

    /** Uploads an archive or mailbox to be imported into the collection; returns the import's id. */
    private static String startImport(String collection, Path archive) {
        return given().multiPart("archive", archive.toFile())
                .post("/v1/collections/" + collection + "/imports")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    /** The file names of the collection's documents. */
    private static List<String> documentNames(String collection) {
        return given().get("/v1/collections/" + collection + "/documents")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("documents.filename");
    }

    /** Waits until the import ended (done, failed or cancelled with no file still running); returns it. */
    private static JsonPath awaitEnd(String id) {
        JsonPath[] last = new JsonPath[1];
        Awaitility.await()
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    last[0] = given().get("/v1/imports/" + id)
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath();
                    String status = last[0].getString("status");
                    return (status.equals("done") || status.equals("failed") || status.equals("cancelled"))
                            && last[0].getInt("jobs.queued") + last[0].getInt("jobs.running") == 0;
                });
        return last[0];
    }

    private static Path zip(Path file, Map<String, byte[]> entries) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
                ZipOutputStream out = new ZipOutputStream(raw)) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return file;
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
