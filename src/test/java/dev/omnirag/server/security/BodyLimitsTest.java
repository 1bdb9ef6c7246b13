package dev.omnirag.server.security;

import static dev.omnirag.server.security.AuthFixture.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.omnirag.server.api.BodyBudget;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Request bodies are admitted before they are read and bounded while they arrive, on every protocol: a body
 * memory budget (503 when spent), a read timeout (408), byte counts for bodies without a length (HTTP/2, chunked
 * uploads), the collection role checked before an upload is read, and uploads in flight per key.
 * The profile sets a 160 MiB budget, a 3 s body-read timeout and a 2 MiB upload limit.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
@Tag("auth")
class BodyLimitsTest {

    private static final int MIB = 1024 * 1024;

    @Inject
    BodyBudget budget;

    private static int port() {
        return io.restassured.RestAssured.port;
    }

    @Test
    void anHttp2BodyWithoutALengthIsCutOffAtTheLimitAsItArrives() throws Exception {
        AuthFixture f = AuthFixture.get();
        Vertx vertx = Vertx.vertx();
        try {
            HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                    .setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false));
            HttpClientRequest request = client.request(HttpMethod.POST, port(), "127.0.0.1", "/v1/embeddings")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            // "Chunked" in Vert.x terms: over HTTP/2 it means no Content-Length, the body as DATA frames.
            request.setChunked(true);
            request.exceptionHandler(e -> {}); // the reset after the 413 is expected
            request.putHeader("Authorization", "Bearer " + f.aRead).putHeader("Content-Type", "application/json");
            CompletableFuture<HttpClientResponse> answer =
                    request.response().toCompletionStage().toCompletableFuture();
            long total = 40L * MIB;
            long sent = 0;
            Buffer block = Buffer.buffer("a".repeat(64 * 1024));
            request.write("{\"input\":\"")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            while (sent < total && !answer.isDone()) {
                try {
                    request.write(block)
                            .toCompletionStage()
                            .toCompletableFuture()
                            .get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    break; // the server reset the stream
                }
                sent += block.length();
            }
            HttpClientResponse response = answer.get(30, TimeUnit.SECONDS);
            assertThat(response.version()).isEqualTo(HttpVersion.HTTP_2);
            assertThat(response.statusCode()).as("status after %d bytes", sent).isEqualTo(413);
            assertThat(sent).as("bytes the server took before refusing").isLessThan(total);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anUploadToACollectionTheKeyMayNotWriteIsRefusedBeforeItsBodyIsRead() throws Exception {
        AuthFixture f = AuthFixture.get();
        // The body is never finished: an answer proves the server did not wait for (or store) it.
        record Case(String key, int status) {}
        for (Case c : List.of(new Case(f.bRead, 404), new Case(f.aRead, 403), new Case(null, 401))) {
            try (RawHttp http = new RawHttp(port())) {
                List<String> headers = new ArrayList<>(
                        List.of("Transfer-Encoding: chunked", "Content-Type: multipart/form-data; boundary=xyz"));
                if (c.key() != null) {
                    headers.add("Authorization: Bearer " + c.key());
                }
                http.head("POST /v1/collections/" + f.a.id() + "/documents HTTP/1.1", headers.toArray(String[]::new));
                http.chunk(("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n\r\n"
                                + "x".repeat(1000))
                        .getBytes(StandardCharsets.UTF_8));
                assertThat(http.status())
                        .as("key %s", c.key() == null ? "none" : c.key().substring(0, 8))
                        .isEqualTo(c.status());
            }
        }
    }

    @Test
    void aChunkedUploadIsCutOffAtTheLimitWhileItStreams() throws Exception {
        AuthFixture f = AuthFixture.get();
        long total = 200L * MIB;
        try (RawHttp http = new RawHttp(port())) {
            http.head(
                    "POST /v1/collections/" + f.a.id() + "/documents HTTP/1.1",
                    "Transfer-Encoding: chunked",
                    "Content-Type: multipart/form-data; boundary=xyz",
                    "Authorization: Bearer " + f.aWrite);
            http.chunk("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n\r\n"
                    .getBytes(StandardCharsets.UTF_8));
            Thread writer = http.stream(total, (byte) 'x', true);
            assertThat(http.status()).isEqualTo(413);
            writer.join(Duration.ofSeconds(60));
            assertThat(http.sent.get())
                    .as("bytes sent before the server closed the connection")
                    .isLessThan(total / 2);
        }
    }

    @Test
    void oneKeyMayHaveOnlySoManyUploadsInFlight() throws Exception {
        AuthFixture f = AuthFixture.get();
        String key = f.key("uploader", false, List.of(Map.of("collection", f.a.id(), "role", "write")))
                .getString("key");
        List<RawHttp> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                RawHttp http = new RawHttp(port());
                held.add(http);
                http.head(
                        "POST /v1/collections/" + f.a.id() + "/documents HTTP/1.1",
                        "Transfer-Encoding: chunked",
                        "Content-Type: multipart/form-data; boundary=xyz",
                        "Authorization: Bearer " + key);
                http.chunk("--xyz\r\n".getBytes(StandardCharsets.UTF_8));
            }
            // The four are admitted in the background; the fifth, once they hold their slots, is refused.
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            as(key).multiPart("file", AuthFixture.pdf("fifth").toFile())
                                            .post("/v1/collections/" + f.a.id() + "/documents")
                                            .statusCode()
                                    == 429);
            var refused = as(key).multiPart("file", AuthFixture.pdf("sixth").toFile())
                    .post("/v1/collections/" + f.a.id() + "/documents");
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
            assertThat(refused.jsonPath().getString("detail"))
                    .contains("omnirag.ingest.max-concurrent-uploads-per-key");
            // Another key is not affected.
            as(f.aWrite)
                    .multiPart("file", AuthFixture.pdf("other-key").toFile())
                    .post("/v1/collections/" + f.a.id() + "/documents")
                    .then()
                    .statusCode(202);
        } finally {
            for (RawHttp http : held) {
                http.close();
            }
        }
        // Closed connections give their slots back.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> as(key).multiPart("file", AuthFixture.pdf("after").toFile())
                                .post("/v1/collections/" + f.a.id() + "/documents")
                                .statusCode()
                        == 202);
    }

    @Test
    void aBodyThatArrivesTooSlowlyHasItsConnectionClosed() throws Exception {
        AuthFixture f = AuthFixture.get();
        try (RawHttp http = new RawHttp(port())) {
            http.head(
                    "POST /v1/collections/" + f.a.id() + "/search HTTP/1.1",
                    "Content-Type: application/json",
                    "Content-Length: 100",
                    "Authorization: Bearer " + f.aRead);
            http.write("{\"query\":");
            long start = System.nanoTime();
            await().atMost(Duration.ofSeconds(3)).until(() -> budget.used() > 0);
            // The profile's body-read timeout is 3 s; the connection is closed soon after, never kept open.
            assertThat(http.closedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(10));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> budget.used() == 0);
        assertThat(java.nio.file.Files.readString(java.nio.file.Path.of(AuthProfile.LOG)))
                .contains("did not arrive within 3000 ms (omnirag.http.body-read-timeout)");
    }

    @Test
    void whenTheBodyMemoryIsSpentLargeBodiesGet503AndSmallOnesStillPass() throws Exception {
        AuthFixture f = AuthFixture.get();
        String declared = "Content-Length: " + 16 * MIB;
        List<RawHttp> held = new ArrayList<>();
        try {
            // Two bodies of 16 MiB, announced and never sent, reserve about 154 of the 160 MiB.
            for (int i = 0; i < 2; i++) {
                RawHttp http = new RawHttp(port());
                held.add(http);
                http.head(
                        "POST /v1/embeddings HTTP/1.1",
                        "Content-Type: application/json",
                        declared,
                        "Authorization: Bearer " + f.aRead);
                http.write("{\"input\":\"");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> budget.used() > budget.capacity() / 2);
            try (RawHttp third = new RawHttp(port())) {
                third.head(
                        "POST /v1/embeddings HTTP/1.1",
                        "Content-Type: application/json",
                        declared,
                        "Authorization: Bearer " + f.aRead);
                assertThat(third.status()).isEqualTo(503);
                String rest = third.rest();
                assertThat(rest).containsIgnoringCase("Retry-After: 1").contains("omnirag.http.body-memory");
            }
            // A search's small body still fits.
            as(f.aRead)
                    .contentType(ContentType.JSON)
                    .body(Map.of("query", "boundary layer"))
                    .post("/v1/collections/" + f.a.id() + "/search")
                    .then()
                    .statusCode(200);
        } finally {
            for (RawHttp http : held) {
                http.close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> budget.used() == 0);
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeTheBodyIsRead() throws Exception {
        AuthFixture f = AuthFixture.get();
        try (RawHttp http = new RawHttp(port())) {
            http.head(
                    "POST /v1/embeddings HTTP/1.1",
                    "Content-Type: application/json",
                    "Content-Length: " + (17L * MIB),
                    "Authorization: Bearer " + f.aRead);
            assertThat(http.status()).isEqualTo(413);
        }
    }
}
