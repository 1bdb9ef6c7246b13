package dev.omnirag.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The OpenAI-protocol client against the contract, served by a small OpenAI-protocol server started here that
 * embeds a text as its letter counts (a-z, unnormalised: the client normalises) and answers in reverse order with
 * indices.
 */
class OpenAiCompatibleEmbedderContractTest extends EmbedderContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected Embedder create() {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/embeddings", OpenAiCompatibleEmbedderContractTest::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
        OpenAiCompatibleEmbedder client = OpenAiCompatibleEmbedder.builder()
                .baseUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/v1")
                .model("letters")
                .timeout(Duration.ofSeconds(10))
                .build();
        return new ForwardingEmbedder(client) {
            @Override
            public void close() {
                super.close();
                server.stop(0);
            }
        };
    }

    private static void handle(HttpExchange exchange) throws IOException {
        JsonNode input = JSON.readTree(exchange.getRequestBody()).get("input");
        ObjectNode response = JSON.createObjectNode();
        ArrayNode data = response.putArray("data");
        for (int i = input.size() - 1; i >= 0; i--) {
            ArrayNode v =
                    data.addObject().put("object", "embedding").put("index", i).putArray("embedding");
            int[] counts = new int[26];
            input.get(i)
                    .asText()
                    .toLowerCase(java.util.Locale.ROOT)
                    .chars()
                    .filter(c -> c >= 'a' && c <= 'z')
                    .forEach(c -> counts[c - 'a']++);
            counts[0]++; // never the zero vector
            for (int c : counts) {
                v.add(c);
            }
        }
        byte[] bytes = response.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
