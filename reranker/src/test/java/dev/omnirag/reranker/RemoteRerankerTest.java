package dev.omnirag.reranker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The remote reranker against a server started here that speaks the two wire formats as Cohere, Jina, Infinity
 * and vLLM ({@code /v1/rerank}: {@code results[].index/relevance_score}, sorted by score) and Hugging Face TEI
 * ({@code /rerank}: {@code [{index, score}]}) do; its score is the probability written in each passage
 * ({@code p=0.9}). Plus the contract, and what happens when the server cannot judge.
 */
class RemoteRerankerTest extends RerankerContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static HttpServer server;
    private static final List<JsonNode> requests = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/rerank", exchange -> {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            requests.add(body);
            List<double[]> scored = new ArrayList<>();
            for (int i = 0; i < body.path("documents").size(); i++) {
                scored.add(new double[] {i, p(body.path("documents").get(i).asText())});
            }
            scored.sort((a, b) -> Double.compare(b[1], a[1]));
            ObjectNode out = JSON.createObjectNode().put("id", "rr-1");
            ArrayNode results = out.putArray("results");
            scored.stream()
                    .limit(body.path("top_n").asInt(scored.size()))
                    .forEach(s -> results.addObject().put("index", (int) s[0]).put("relevance_score", s[1]));
            out.putObject("meta").putObject("billed_units").put("search_units", 1);
            reply(exchange, 200, out.toString());
        });
        server.createContext("/rerank", exchange -> {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            requests.add(body);
            ArrayNode out = JSON.createArrayNode();
            for (int i = 0; i < body.path("texts").size(); i++) {
                out.addObject()
                        .put("index", i)
                        .put("score", p(body.path("texts").get(i).asText()));
            }
            reply(exchange, 200, out.toString());
        });
        server.createContext("/broken", exchange -> reply(exchange, 500, "{\"error\":\"model not loaded\"}"));
        server.createContext("/slow", exchange -> {
            try {
                Thread.sleep(3000); // a server that answers late: the client's deadline is what is tested
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(exchange, 200, "{\"results\":[]}");
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static double p(String text) {
        int at = text.indexOf("p=");
        return at < 0 ? 0.5 : Double.parseDouble(text.substring(at + 2, at + 5));
    }

    private static void reply(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    protected Reranker reranker() {
        return RemoteReranker.builder()
                .url(url("/v1/rerank"))
                .model("bge-reranker-v2-m3")
                .build();
    }

    @Test
    void cohereFormatReordersByTheServersScoresAndSendsTheModelQueryAndDocuments() {
        requests.clear();
        Reranking r = RemoteReranker.builder()
                .url(url("/v1/rerank"))
                .model("rerank-v3.5")
                .apiKey("k")
                .build()
                .rerank(new RerankRequest(QUERY, HITS, 3));
        assertThat(r.applied()).isTrue();
        assertThat(Hits.ids(r.hits())).containsExactly("h1", "h4", "h2");
        assertThat(r.hits().get(0).score()).isEqualTo(0.9);
        JsonNode sent = requests.get(0);
        assertThat(sent.path("model").asText()).isEqualTo("rerank-v3.5");
        assertThat(sent.path("query").asText()).isEqualTo(QUERY);
        assertThat(sent.path("documents")).hasSize(HITS.size());
    }

    @Test
    void teiFormatWorksTheSameWay() {
        Reranking r = RemoteReranker.builder()
                .url(url("/rerank"))
                .format(RemoteReranker.Format.TEI)
                .build()
                .rerank(new RerankRequest(QUERY, HITS, 2));
        assertThat(Hits.ids(r.hits())).containsExactly("h1", "h4");
    }

    @Test
    void onlyTheFirstCandidatesAreSentAndTheRestFollowUnjudged() {
        requests.clear();
        Reranking r = RemoteReranker.builder()
                .url(url("/v1/rerank"))
                .candidates(2)
                .build()
                .rerank(new RerankRequest(QUERY, HITS, 5));
        assertThat(requests.get(0).path("documents")).hasSize(2);
        assertThat(Hits.ids(r.hits())).containsExactly("h1", "h0", "h2", "h3", "h4");
    }

    @Test
    void aServerThatCannotJudgeLeavesTheFirstStageOrderWithTheReason() {
        Reranking broken =
                RemoteReranker.builder().url(url("/broken")).build().rerank(new RerankRequest(QUERY, HITS, 3));
        assertThat(broken.applied()).isFalse();
        assertThat(broken.reason()).contains("HTTP 500").contains("model not loaded");
        assertThat(Hits.ids(broken.hits())).containsExactly("h0", "h1", "h2");
        Reranking slow = RemoteReranker.builder()
                .url(url("/slow"))
                .deadline(Duration.ofMillis(300))
                .build()
                .rerank(new RerankRequest(QUERY, HITS, 2));
        assertThat(slow.applied()).isFalse();
        assertThat(slow.reason()).contains("deadline");
        Reranking down = RemoteReranker.builder()
                .url("http://127.0.0.1:1/rerank")
                .build()
                .rerank(new RerankRequest(QUERY, HITS, 2));
        assertThat(down.applied()).isFalse();
        assertThat(down.reason()).contains("cannot connect to the reranking server");
    }

    @Test
    void theBuilderNamesWhatItRefuses() {
        assertThatThrownBy(() -> RemoteReranker.builder().url("ftp://x/rerank"))
                .hasMessage("url must be an http(s) URL; url=ftp://x/rerank");
        assertThatThrownBy(() -> RemoteReranker.builder().candidates(0))
                .hasMessage("candidates must be in 1..1000; candidates=0");
        assertThatThrownBy(() -> RemoteReranker.builder().build()).hasMessageContaining("url is required");
    }
}
