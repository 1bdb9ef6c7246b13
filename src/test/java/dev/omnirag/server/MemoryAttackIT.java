package dev.omnirag.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The memory-exhaustion attack of the security review, for a minute, against the packaged server on a 512 MiB heap
 * with authentication on: 22 connections without a key each sending 16 MiB bodies slowly to
 * {@code /v1;x/chat/completions}, and 22 more with a valid key sending 16 MiB chat bodies to
 * {@code /v1/chat/completions}, half at full speed and half slowly, each reconnecting when refused. Throughout, a
 * keyed search answers within 2 s and readiness stays UP; afterwards a document is ingested, and SIGTERM stops the
 * server. Bounded: loopback only, at most 44 attack connections, a tenth of a second between a refusal and the next
 * try.
 */
class MemoryAttackIT {

    @RegisterExtension
    final PackagedServers servers = new PackagedServers("memory-attack-home");

    private static final Logger LOG = Logger.getLogger(MemoryAttackIT.class);
    private static final int BODY = 16 * 1024 * 1024;
    private static final Duration ATTACK = Duration.ofSeconds(60);

    private PackagedServer server;
    private ExecutorService attackers;

    @AfterEach
    void stopAttackers() {
        // Before the extension stops the server.
        if (attackers != null) {
            attackers.shutdownNow();
        }
    }

    @Test
    void aMinuteOfLargeSlowBodiesLeavesTheServerReadyAndAnswering() throws Exception {
        server = servers.start(Map.of("OMNIRAG_AUTH_ENABLED", "true"), List.of("-Xmx512m"));
        String admin = Files.readString(servers.home().resolve("admin.key")).strip();
        String collectionId = server.api()
                .header("Authorization", "Bearer " + admin)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "attacked"))
                .post("/v1/collections")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String attackerKey = key(admin, "attacker", collectionId);
        String userKey = key(admin, "user", collectionId);
        ingest(
                admin,
                collectionId,
                "The wind tunnel report: the boundary layer thickens downstream of the leading edge.");

        AtomicBoolean on = new AtomicBoolean(true);
        AtomicLong connections = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        attackers = Executors.newFixedThreadPool(44);
        String chat = "{\"model\":\"omnirag:attacked\",\"messages\":[{\"role\":\"user\",\"content\":\"";
        for (int i = 0; i < 44; i++) {
            boolean keyed = i >= 22;
            boolean fast = keyed && i % 2 == 0;
            String head = "POST " + (keyed ? "/v1/chat/completions" : "/v1;x/chat/completions") + " HTTP/1.1\r\n"
                    + "Host: localhost\r\nContent-Type: application/json\r\nContent-Length: " + BODY + "\r\n"
                    + (keyed ? "Authorization: Bearer " + attackerKey + "\r\n" : "") + "\r\n";
            int port = server.port();
            attackers.submit(() -> attack(port, on, head, chat, fast, connections, bytes));
        }

        List<Long> latencies = new ArrayList<>();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        long end = System.nanoTime() + ATTACK.toNanos();
        while (System.nanoTime() < end) {
            long start = System.nanoTime();
            Response search = server.api()
                    .header("Authorization", "Bearer " + userKey)
                    .contentType(ContentType.JSON)
                    .body(Map.of("query", "boundary layer", "k", 3))
                    .post("/v1/collections/" + collectionId + "/search");
            long ms = (System.nanoTime() - start) / 1_000_000;
            latencies.add(ms);
            if (search.statusCode() != 200 || ms > 2000) {
                problems.add("search: " + search.statusCode() + " in " + ms + " ms");
            }
            int ready = server.api().get("/q/health/ready").statusCode();
            if (ready != 200) {
                problems.add("readiness " + ready);
            }
            assertThat(server.alive())
                    .as("the server process is alive; see %s", server.log())
                    .isTrue();
            // Paces the probe at about two a second (not a wait for a state).
            java.util.concurrent.locks.LockSupport.parkNanos(500_000_000L);
        }
        on.set(false);
        attackers.shutdownNow();
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        LOG.infof(
                "Attack: %d connections, %d MiB sent; %d searches, p50 %d ms, max %d ms",
                connections.get(),
                bytes.get() >> 20,
                sorted.length,
                sorted[sorted.length / 2],
                sorted[sorted.length - 1]);
        assertThat(connections.get()).as("attack connections made").isGreaterThan(100);
        assertThat(bytes.get()).as("attack bytes sent").isGreaterThan(32L * 1024 * 1024);
        assertThat(problems)
                .as("searches slower than 2 s or failing, readiness not UP, during the attack")
                .isEmpty();

        ingest(admin, collectionId, "After the attack: the server still ingests new documents " + System.nanoTime());
        String log = Files.readString(server.log());
        assertThat(log).doesNotContain("OutOfMemoryError");
        assertThat(log).contains("body memory budget");
        assertThat(server.stop()).as("SIGTERM stops the server").isTrue();
    }

    /** One attacker: connects, sends the head and the body (fast, or 256 KiB a second), reconnects when cut off. */
    private static void attack(
            int port,
            AtomicBoolean on,
            String head,
            String prefix,
            boolean fast,
            AtomicLong connections,
            AtomicLong bytes) {
        byte[] block = new byte[fast ? 256 * 1024 : 16 * 1024];
        Arrays.fill(block, (byte) 'a');
        while (on.get() && !Thread.currentThread().isInterrupted()) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                connections.incrementAndGet();
                socket.setSoTimeout(5_000);
                OutputStream out = socket.getOutputStream();
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                out.write(prefix.getBytes(StandardCharsets.UTF_8));
                long sent = prefix.length();
                while (on.get() && sent + block.length < BODY) {
                    out.write(block);
                    sent += block.length;
                    bytes.addAndGet(block.length);
                    if (!fast) {
                        // 16 KiB every 62 ms: about 256 KiB a second, a minute for the whole body.
                        java.util.concurrent.locks.LockSupport.parkNanos(62_000_000L);
                    }
                }
                out.write(("x\"}]}" + " ".repeat((int) (BODY - sent - 5))).getBytes(StandardCharsets.UTF_8));
                socket.getInputStream().read();
            } catch (IOException e) {
                // refused and closed by the server: try again
            }
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
        }
    }

    private String key(String admin, String name, String collectionId) {
        return server.api()
                .header("Authorization", "Bearer " + admin)
                .contentType(ContentType.JSON)
                .body(Map.of("name", name, "grants", List.of(Map.of("collection", collectionId, "role", "read"))))
                .post("/v1/keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");
    }

    private void ingest(String admin, String collectionId, String text) throws IOException {
        Path file = Files.writeString(Files.createTempFile(servers.home(), "note", ".txt"), text);
        String job = server.api()
                .header("Authorization", "Bearer " + admin)
                .multiPart("file", file.toFile())
                .post("/v1/collections/" + collectionId + "/documents")
                .then()
                .statusCode(202)
                .extract()
                .path("jobId");
        await().atMost(Duration.ofMinutes(2))
                .until(() -> "succeeded"
                        .equals(server.api()
                                .header("Authorization", "Bearer " + admin)
                                .get("/v1/jobs/" + job)
                                .then()
                                .extract()
                                .path("status")));
    }
}
