package dev.omnirag.server.security;

import static dev.omnirag.server.security.AuthFixture.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Model work is priced in tokens and bounded per key: one request may carry at most the model-token burst, a key's
 * model-token bucket pays for what it asks (429 with Retry-After when spent), a key runs at most two such requests
 * at once, and a client that goes away stops its work. The profile sets a burst of 20,000 tokens and 1,000 a second.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
@Tag("auth")
class ModelCostTest {

    /** About 250 model tokens each (four characters a token). */
    private static List<String> inputs(int n, String marker) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add((marker + " " + i + " the boundary layer thickens downstream of the wing. ")
                    .repeat(20)
                    .substring(0, 1000));
        }
        return out;
    }

    private static Response embed(String key, List<String> input) {
        return as(key).contentType(ContentType.JSON)
                .body(Map.of("input", input))
                .post("/v1/embeddings");
    }

    @Test
    void aRequestOverTheModelTokenBoundIsRefusedBeforeAnyWork() {
        AuthFixture f = AuthFixture.get();
        String key = f.key("big-embedder", false, List.of()).getString("key");
        long start = System.nanoTime();
        Response r = embed(key, inputs(100, "too many"));
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(400);
        assertThat(r.jsonPath().getString("detail"))
                .contains("25000 model tokens")
                .contains("omnirag.auth.model-token-burst");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("refused before embedding")
                .isLessThan(Duration.ofSeconds(5));
        Response rerank = as(key).contentType(ContentType.JSON)
                .body(Map.of("query", "wing", "documents", inputs(100, "rerank")))
                .post("/v1/rerank");
        assertThat(rerank.statusCode()).as(rerank.asString()).isEqualTo(400);
    }

    @Test
    void aKeyThatSpentItsModelTokensWaitsAndOtherKeysDoNot() {
        AuthFixture f = AuthFixture.get();
        String key = f.key("token-spender", false, List.of()).getString("key");
        embed(key, inputs(60, "first")).then().statusCode(200);
        Response second = embed(key, inputs(60, "second"));
        assertThat(second.statusCode()).as(second.asString()).isEqualTo(429);
        assertThat(Integer.parseInt(second.getHeader("Retry-After"))).isBetween(1, 30);
        assertThat(second.jsonPath().getString("detail")).contains("model tokens");
        embed(f.aRead, List.of("another key is not affected")).then().statusCode(200);
    }

    @Test
    void aKeyRunsAtMostTwoModelRequestsAtOnce() {
        AuthFixture f = AuthFixture.get();
        String key = f.key("parallel-embedder", false, List.of()).getString("key");
        // Three requests of seconds of embedding each, sent at once (18,000 model tokens in all, within the burst): two
        // run, the third is refused for the concurrency, not for the tokens. (Polling with a small request while two
        // big ones were started raced: admitted before the second big one, the poll itself took a slot.)
        ExecutorService clients = Executors.newFixedThreadPool(3);
        try {
            java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(3);
            List<CompletableFuture<Response>> sent = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                List<String> big = inputs(24, "parallel " + i);
                sent.add(CompletableFuture.supplyAsync(
                        () -> {
                            ready.countDown();
                            try {
                                ready.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return embed(key, big);
                        },
                        clients));
            }
            List<Response> responses =
                    sent.stream().map(CompletableFuture::join).toList();
            List<Response> refused =
                    responses.stream().filter(r -> r.statusCode() == 429).toList();
            assertThat(refused).as("refused of three at once").hasSize(1);
            assertThat(refused.getFirst().jsonPath().getString("detail")).contains("max-concurrent-model-calls");
            assertThat(refused.getFirst().getHeader("Retry-After")).isNotBlank();
            assertThat(responses.stream().filter(r -> r.statusCode() == 200)).hasSize(2);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void aKeyRunsAtMostThreeSearchesAtOnceAndOtherKeysGoOn() throws Exception {
        AuthFixture f = AuthFixture.get();
        String busy = f.key("busy-searcher", false, List.of(java.util.Map.of("collection", f.a.id(), "role", "read")))
                .getString("key");
        byte[] body = "{\"query\": \"boundary layer\"}".getBytes(StandardCharsets.UTF_8);
        List<RawHttp> held = new ArrayList<>();
        try {
            // Three searches whose bodies have not fully arrived: each holds one of the key's slots.
            for (int i = 0; i < 3; i++) {
                RawHttp http = new RawHttp(io.restassured.RestAssured.port);
                held.add(http);
                http.head(
                        "POST /v1/collections/" + f.a.id() + "/search HTTP/1.1",
                        "Content-Type: application/json",
                        "Content-Length: " + body.length,
                        "Authorization: Bearer " + busy);
                http.write(java.util.Arrays.copyOf(body, 5));
            }
            await().atMost(Duration.ofSeconds(2))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        Response r = AuthFixture.as(busy)
                                .contentType("application/json")
                                .body(java.util.Map.of("query", "flow"))
                                .post("/v1/collections/" + f.a.id() + "/search");
                        return r.statusCode() == 429
                                && r.header("Retry-After") != null
                                && r.jsonPath().getString("detail").contains("max-concurrent-queries");
                    });
            // Another key is not held up.
            AuthFixture.as(f.aRead)
                    .contentType("application/json")
                    .body(java.util.Map.of("query", "flow"))
                    .post("/v1/collections/" + f.a.id() + "/search")
                    .then()
                    .statusCode(200);
        } finally {
            for (RawHttp http : held) {
                http.close();
            }
        }
        // Once they end, the key searches again.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> AuthFixture.as(busy)
                                .contentType("application/json")
                                .body(java.util.Map.of("query", "flow"))
                                .post("/v1/collections/" + f.a.id() + "/search")
                                .statusCode()
                        == 200);
    }

    @Test
    void workStopsWhenTheClientGoesAway() throws Exception {
        AuthFixture f = AuthFixture.get();
        String key = f.key("gone-away", false, List.of()).getString("key");
        long before = embedded(f);
        List<String> many = inputs(72, "abandoned");
        StringBuilder json = new StringBuilder("{\"input\":[");
        for (int i = 0; i < many.size(); i++) {
            json.append(i == 0 ? "" : ",").append('"').append(many.get(i)).append('"');
        }
        byte[] body = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        try (RawHttp http = new RawHttp(io.restassured.RestAssured.port)) {
            http.head(
                    "POST /v1/embeddings HTTP/1.1",
                    "Content-Type: application/json",
                    "Content-Length: " + body.length,
                    "Authorization: Bearer " + key);
            http.write(body);
            await().atMost(Duration.ofSeconds(30)).until(() -> embedded(f) > before);
        }
        // Closed: the work stops at the next slice of 16 texts instead of embedding all 72.
        long[] last = {embedded(f)};
        await().atMost(Duration.ofSeconds(30))
                .pollDelay(Duration.ofSeconds(2))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> {
                    long now = embedded(f);
                    boolean settled = now == last[0];
                    last[0] = now;
                    return settled;
                });
        assertThat(last[0] - before)
                .as("texts embedded for a client that went away")
                .isLessThan(many.size());
    }

    private static final Pattern TEXTS =
            Pattern.compile("(?m)^omnirag_embedder_texts_total(?:\\{[^}]*})? ([0-9.eE+]+)$");

    /** Texts the server's embedder has embedded so far (its metric). */
    private static long embedded(AuthFixture f) {
        String metrics =
                as(f.admin).get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = TEXTS.matcher(metrics);
        long sum = 0;
        while (m.find()) {
            sum += (long) Double.parseDouble(m.group(1));
        }
        return sum;
    }
}
