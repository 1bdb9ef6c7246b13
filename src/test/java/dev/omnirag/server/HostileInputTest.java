package dev.omnirag.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input through the real API: generated files (random bytes behind valid magic numbers, truncated PDFs,
 * deep nesting, huge image dimensions, zip bombs) and the damaged files of {@code shared/media/bad}; oversized and
 * chunked request bodies; many uploads at once.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class HostileInputTest {

    /** Heap the whole server may still use after the run and a full GC (the JVM's own limit is far higher). */
    private static final long HEAP_BOUND = 1024L * 1024 * 1024;

    @Test
    void hostileFilesEndAsFailedJobsOr4xxAndTheServerStaysHealthy(@TempDir Path tmp) throws IOException {
        long seed = Long.getLong("omnirag.fuzz.seed", System.nanoTime());
        System.out.println("HostileInputTest seed: " + seed + " (rerun with -Domnirag.fuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        List<HostileFiles.Hostile> hostile = new ArrayList<>(HostileFiles.randomBehindMagic(tmp, random));
        hostile.add(HostileFiles.randomDocx(tmp, random));
        hostile.add(HostileFiles.randomNotebook(tmp, random));
        hostile.addAll(HostileFiles.truncated(tmp, TestSupport.shared("media/pdf/tracemonkey.pdf"), 3, random));
        hostile.add(HostileFiles.deeplyNested(tmp, 100_000).get(1)); // XML; HTML and JSON are read flat
        hostile.add(HostileFiles.hugePng(tmp, 50_000, 50_000));
        hostile.add(HostileFiles.hugeGif(tmp));
        hostile.add(HostileFiles.docxBomb(tmp, 300));
        hostile.add(HostileFiles.odtBomb(tmp, 300));
        try (Stream<Path> bad = Files.list(TestSupport.shared("media/bad"))) {
            bad.sorted().forEach(f -> hostile.add(new HostileFiles.Hostile("shared/media/bad/" + f.getFileName(), f)));
        }

        String collection = TestSupport.createCollection("hostile");
        Map<HostileFiles.Hostile, String> jobs = new LinkedHashMap<>();
        for (HostileFiles.Hostile h : hostile) {
            Response r =
                    given().multiPart("file", h.file().toFile()).post("/v1/collections/" + collection + "/documents");
            int status = r.statusCode();
            if (status == 202) {
                jobs.put(h, r.jsonPath().getString("jobId"));
                continue;
            }
            System.out.printf("%-55s -> %d %s%n", h.what(), status, r.asString());
            assertThat(status).as("upload of %s", h.what()).isBetween(400, 499);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.jsonPath().getString("detail")).as(h.what()).isNotBlank();
        }
        for (var e : jobs.entrySet()) {
            JsonPath job = TestSupport.awaitJob(e.getValue());
            String reason = job.getString("error");
            System.out.printf("%-55s -> job %s: %s%n", e.getKey().what(), job.getString("status"), reason);
            assertThat(job.getString("status")).as(e.getKey().what()).isEqualTo("failed");
            assertThat(reason)
                    .as(e.getKey().what())
                    .isNotBlank()
                    .doesNotContain("\tat ")
                    .doesNotContain("\n\tat")
                    .doesNotContain("internal error")
                    .doesNotContain("/blobs/")
                    .hasSizeLessThan(1000);
        }
        assertThat(jobs)
                .as("most hostile files are accepted by type and fail in their job")
                .hasSizeGreaterThan(10);

        Path good = Files.writeString(tmp.resolve("good.txt"), "Laminar flow separates near the trailing edge.");
        assertThat(TestSupport.ingest(collection, good).getString("status")).isEqualTo("succeeded");
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long used = rt.totalMemory() - rt.freeMemory();
        System.out.printf("heap used after the run and a GC: %d MiB (max %d MiB)%n", used >> 20, rt.maxMemory() >> 20);
        assertThat(used).isLessThan(HEAP_BOUND);
    }

    @Test
    void unrecognisedBytesGet415NamingTheDetectedTypeWhateverTheFilenameSays(@TempDir Path tmp) throws IOException {
        byte[] junk = new byte[2048];
        new Random(11).nextBytes(junk);
        Path fake = Files.write(tmp.resolve("annual-report.pdf"), junk);
        String collection = TestSupport.createCollection("sniff");
        given().multiPart("file", fake.toFile(), "application/pdf")
                .post("/v1/collections/" + collection + "/documents")
                .then()
                .statusCode(415)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("application/octet-stream"))
                .body("detail", org.hamcrest.Matchers.containsString("supported: PDF"));
    }

    @Test
    void manySimultaneousUploadsAreQueuedAndAllSucceed(@TempDir Path tmp) throws Exception {
        String collection = TestSupport.createCollection("burst");
        int n = 16;
        ExecutorService clients = Executors.newFixedThreadPool(n);
        try {
            List<Future<Response>> uploads = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Path f = Files.writeString(
                        tmp.resolve("note-" + i + ".txt"),
                        "Note " + i + ": the wing's angle of attack was " + (i + 2) + " degrees in run " + i + ".");
                uploads.add(clients.submit(() ->
                        given().multiPart("file", f.toFile()).post("/v1/collections/" + collection + "/documents")));
            }
            List<String> jobIds = new ArrayList<>();
            for (Future<Response> u : uploads) {
                Response r = u.get();
                assertThat(r.statusCode()).as(r.asString()).isEqualTo(202);
                jobIds.add(r.jsonPath().getString("jobId"));
            }
            for (String id : jobIds) {
                assertThat(TestSupport.awaitJob(id).getString("status")).isEqualTo("succeeded");
            }
        } finally {
            clients.shutdownNow();
        }
        given().get("/v1/collections/" + collection + "/documents")
                .then()
                .statusCode(200)
                .body("documents.size()", equalTo(n));
    }

    @Test
    void jsonBodiesBeyondTheLimitGet413AndChunkedOnesGet411() throws IOException {
        String tooLong = rawRequest("POST /v1/collections HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + (17L << 20) + "\r\n\r\n{");
        assertThat(tooLong).startsWith("HTTP/1.1 413").contains("omnirag.http.max-json-body");
        String chunked = rawRequest("POST /v1/collections HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
        assertThat(chunked).startsWith("HTTP/1.1 411").contains("Content-Length");
    }

    @Test
    void overlongQueriesAndKOutOfRangeGet400() {
        String collection = TestSupport.createCollection("query-limits");
        given().contentType("application/json")
                .body(Map.of("query", "x".repeat(4001)))
                .post("/v1/collections/" + collection + "/search")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("at most 4000 characters"));
        given().contentType("application/json")
                .body(Map.of("query", "wing", "k", 101))
                .post("/v1/collections/" + collection + "/search")
                .then()
                .statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("k must be in 1..100"));
    }

    /** Sends raw bytes (to control the framing headers) and returns the response head and what followed. */
    private static String rawRequest(String request) throws IOException {
        try (Socket s = new Socket("localhost", RestAssured.port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            StringBuilder sb = new StringBuilder();
            int n;
            while (sb.indexOf("\r\n\r\n") < 0 || !sb.toString().contains("}")) {
                n = in.read(buf);
                if (n < 0) {
                    break;
                }
                sb.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            return sb.toString();
        }
    }
}
