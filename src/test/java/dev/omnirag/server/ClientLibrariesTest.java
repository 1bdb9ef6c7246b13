package dev.omnirag.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The client libraries people already use, from their npm lockfile, against the server with its default
 * (extractive) generator: Vercel's AI SDK with {@code @ai-sdk/openai} (whose default provider speaks the Responses
 * API) and {@code @ai-sdk/openai-compatible} (chat completions), LangChain.js chat and embeddings (with a model name
 * and with its default, an alias on the server), and Cohere's v1 and v2 rerank clients ({@code src/test/js/clients.mjs}).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class ClientLibrariesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL root;

    @Test
    void vercelLangChainAndCohereClientsGetAnswersCitationsEmbeddingsAndRankings() throws Exception {
        String collection = TestSupport.createCollection("clients");
        Path file = Files.createTempDirectory("omnirag-clients").resolve("flutter.txt");
        Files.writeString(
                file,
                "Flutter is a dynamic instability of an elastic structure in a fluid flow. It can destroy "
                        + "a wing within seconds when the airspeed passes the flutter speed.");
        assertThat(TestSupport.ingest(collection, file).getString("status")).isEqualTo("succeeded");
        String embedder = given().get("/v1/models").then().extract().path("data[0].id");

        Path dir = Path.of("test/js").toAbsolutePath();
        assertThat(dir.resolve("node_modules/ai"))
                .as("run the README test command: it installs the npm test " + "dependencies (npm ci in src/test/js)")
                .exists();
        ProcessBuilder pb = new ProcessBuilder("node", "clients.mjs")
                .directory(dir.toFile())
                .redirectErrorStream(true);
        pb.environment().put("OMNIRAG_URL", root.toString().replaceAll("/$", ""));
        pb.environment().put("OMNIRAG_MODEL", "omnirag:" + collection);
        pb.environment().put("OMNIRAG_EMBEDDER", embedder);
        pb.environment().put("OMNIRAG_QUESTION", "What is flutter?");
        Process node = pb.start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(out).isZero();
        JsonNode json = JSON.readTree(
                out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());

        JsonNode vercel = json.get("vercel");
        assertThat(vercel.path("error").isMissingNode()).as(vercel.toString()).isTrue();
        assertThat(vercel.get("text").asText()).contains("Flutter").contains("[1]");
        assertThat(vercel.get("streamed").asText()).isEqualTo(vercel.get("text").asText());
        assertThat(vercel.get("sources").get(0).get("url").asText())
                .contains("/v1/documents/")
                .contains("sig=");
        assertThat(vercel.get("sources").get(0).get("title").asText()).isEqualTo("flutter.txt");
        assertThat(vercel.get("finishReason").asText()).isEqualTo("stop");

        JsonNode compatible = json.get("vercelCompatible");
        assertThat(compatible.path("error").isMissingNode())
                .as(compatible.toString())
                .isTrue();
        assertThat(compatible.get("text").asText()).contains("Flutter").contains("[[1]](http");
        assertThat(compatible.get("finishReason").asText()).isEqualTo("stop");

        JsonNode chat = json.get("langchainChat");
        assertThat(chat.path("error").isMissingNode()).as(chat.toString()).isTrue();
        assertThat(chat.get("content").asText()).contains("Flutter").contains("[[1]](http");

        JsonNode embeddings = json.get("langchainEmbeddings");
        assertThat(embeddings.path("error").isMissingNode())
                .as(embeddings.toString())
                .isTrue();
        assertThat(embeddings.get("dimensions").asInt()).isEqualTo(384);
        assertThat(embeddings.get("documents").asInt()).isEqualTo(2);
        assertThat(embeddings.get("defaultModelMatches").asBoolean()).isTrue();

        JsonNode v1 = json.get("cohereV1");
        assertThat(v1.path("error").isMissingNode()).as(v1.toString()).isTrue();
        assertThat(v1.get("index").asInt()).isEqualTo(1);
        assertThat(v1.get("document").asText()).startsWith("Flutter");
        assertThat(v1.get("version").asText()).isEqualTo("1");

        JsonNode v2 = json.get("cohereV2");
        assertThat(v2.path("error").isMissingNode()).as(v2.toString()).isTrue();
        assertThat(v2.get("indexes").get(0).asInt()).isEqualTo(1);
        assertThat(v2.get("version").asText()).isEqualTo("2");
    }
}
