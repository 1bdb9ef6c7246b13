package dev.omnirag.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OpenAiCompatibleEmbedder against a small OpenAI-protocol server started here (no real multimodal server can
 * run on this machine). The server embeds a text as (length, vowels, 1) and an image data URL as its mean RGB,
 * unnormalised, and answers in reverse order with indices, so ordering and normalisation are checked too.
 */
class OpenAiCompatibleEmbedderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private volatile int failWith;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/embeddings", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void handle(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        requests.add(body);
        authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        if (failWith != 0) {
            send(
                    exchange,
                    failWith,
                    "{\"error\": {\"message\": \"model tiny is overloaded\", \"type\": \"server_error\"}}");
            return;
        }
        ObjectNode response = JSON.createObjectNode();
        ArrayNode data = response.putArray("data");
        JsonNode input = body.get("input");
        for (int i = input.size() - 1; i >= 0; i--) {
            String item = input.get(i).asText();
            ObjectNode d = data.addObject();
            d.put("object", "embedding");
            d.put("index", i);
            ArrayNode v = d.putArray("embedding");
            for (double x : vectorOf(item)) {
                v.add(x);
            }
        }
        response.put("model", body.get("model").asText());
        send(exchange, 200, response.toString());
    }

    static double[] vectorOf(String item) throws IOException {
        if (item.startsWith("data:image/png;base64,")) {
            BufferedImage image =
                    ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(item.substring(22))));
            double r = 0;
            double g = 0;
            double b = 0;
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    int rgb = image.getRGB(x, y);
                    r += (rgb >> 16) & 0xff;
                    g += (rgb >> 8) & 0xff;
                    b += rgb & 0xff;
                }
            }
            int n = image.getWidth() * image.getHeight();
            return new double[] {r / n, g / n, b / n};
        }
        long vowels = item.chars().filter(c -> "aeiou".indexOf(c) >= 0).count();
        return new double[] {item.length(), vowels, 1};
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private OpenAiCompatibleEmbedder.Builder builder() {
        return OpenAiCompatibleEmbedder.builder()
                .baseUrl(baseUrl())
                .model("tiny")
                .timeout(Duration.ofSeconds(10));
    }

    @Test
    void embedsTextsInOrderAsUnitVectorsAndProbesTheDimensions() {
        try (OpenAiCompatibleEmbedder e = builder().apiKey("secret").build()) {
            assertThat(e.dimensions()).isEqualTo(3);
            assertThat(e.spaceName()).isEqualTo("tiny");
            assertThat(e.modalities()).isEqualTo(Set.of(Modality.TEXT));
            List<float[]> v = e.embedDocuments(List.of("abc", "aeiou!"));
            // "abc": (3, 1, 1)/√11; "aeiou!": (6, 5, 1)/√62.
            assertThat(v.get(0)[0]).isCloseTo((float) (3 / Math.sqrt(11)), offset(1e-6f));
            assertThat(v.get(1)[1]).isCloseTo((float) (5 / Math.sqrt(62)), offset(1e-6f));
            JsonNode last = requests.getLast();
            assertThat(last.get("model").asText()).isEqualTo("tiny");
            assertThat(last.get("input").get(1).asText()).isEqualTo("aeiou!");
            assertThat(last.get("encoding_format").asText()).isEqualTo("float");
            assertThat(last.has("modality")).isFalse();
            assertThat(authorizations.getLast()).isEqualTo("Bearer secret");
        }
    }

    @Test
    void sendsImagesAsPngDataUrlsWhenTheModelTakesImages() {
        try (OpenAiCompatibleEmbedder e =
                builder().images(true).dimensions(3).batchSize(1).build()) {
            assertThat(e.modalities()).isEqualTo(Set.of(Modality.TEXT, Modality.IMAGE));
            BufferedImage red = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = red.createGraphics();
            g.setColor(Color.RED);
            g.fillRect(0, 0, 4, 4);
            g.dispose();
            List<float[]> v = e.embedImages(List.of(red, red));
            assertThat(v.get(0)).containsExactly(1f, 0f, 0f);
            assertThat(requests).hasSize(2); // batch size 1: one request per image
            assertThat(requests.getLast().get("modality").asText()).isEqualTo("image");
            assertThat(requests.getLast().get("input").get(0).asText()).startsWith("data:image/png;base64,");
        }
    }

    @Test
    void aTextOnlyRemoteModelRefusesImages() {
        try (OpenAiCompatibleEmbedder e = builder().dimensions(3).build()) {
            assertThatThrownBy(() -> e.embedImage(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB)))
                    .isInstanceOf(EmbeddingException.NonRetriable.class)
                    .hasMessageContaining("no image tower");
            assertThat(requests).isEmpty();
        }
    }

    @Test
    void serverErrorsAreRetriedThenRetriableAndClientErrorsAreNotRetried() {
        try (OpenAiCompatibleEmbedder e = builder().dimensions(3).maxRetries(1).build()) {
            failWith = 503;
            assertThatThrownBy(() -> e.embedQuery("x"))
                    .isInstanceOf(EmbeddingException.Retriable.class)
                    .hasMessageContaining("503")
                    .hasMessageContaining("model tiny is overloaded")
                    .hasMessageContaining("after 2 attempts");
            assertThat(requests).hasSize(2);
            failWith = 400;
            assertThatThrownBy(() -> e.embedQuery("x"))
                    .isInstanceOf(EmbeddingException.NonRetriable.class)
                    .hasMessageContaining("400");
            assertThat(requests).hasSize(3);
        }
        int port = server.getAddress().getPort();
        server.stop(0);
        try (OpenAiCompatibleEmbedder e = OpenAiCompatibleEmbedder.builder()
                .baseUrl("http://127.0.0.1:" + port + "/v1")
                .model("tiny")
                .dimensions(3)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(2))
                .build()) {
            assertThatThrownBy(() -> e.embedQuery("x"))
                    .isInstanceOf(EmbeddingException.Retriable.class)
                    .hasMessageContaining("cannot connect to the embeddings server");
        }
    }

    @Test
    void aServerReturningOtherDimensionsIsRefused() {
        try (OpenAiCompatibleEmbedder e = builder().dimensions(8).build()) {
            assertThatThrownBy(() -> e.embedQuery("x"))
                    .isInstanceOf(EmbeddingException.NonRetriable.class)
                    .hasMessageContaining("returned 3-dimensional vectors; tiny has 8");
        }
    }

    @Test
    void builderNamesTheBadParameter() {
        assertThatThrownBy(() -> OpenAiCompatibleEmbedder.builder()
                        .baseUrl("ftp://x")
                        .model("m")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baseUrl must be an http(s) URL; baseUrl=ftp://x");
        assertThatThrownBy(() ->
                        OpenAiCompatibleEmbedder.builder().baseUrl(baseUrl()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model must not be blank; model=null");
        assertThatThrownBy(() -> builder().batchSize(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batchSize must be in 1..2048; batchSize=0");
        assertThatThrownBy(() -> builder().dimensions(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dimensions must be in 0..65536; dimensions=-1");
    }
}
