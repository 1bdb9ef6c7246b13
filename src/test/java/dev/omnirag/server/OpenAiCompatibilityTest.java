package dev.omnirag.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class OpenAiCompatibilityTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void embeddingsHaveOpenAisShape() {
        given().contentType(ContentType.JSON)
                .body(Map.of("input", List.of("lift", "drag")))
                .post("/v1/embeddings")
                .then()
                .statusCode(200)
                .body("object", equalTo("list"))
                .body("model", equalTo("bge-small-en-v1.5-int8"))
                .body("data", hasSize(2))
                .body("data[0].object", equalTo("embedding"))
                .body("data[1].index", equalTo(1))
                .body("data[0].embedding", hasSize(384))
                .body("usage.prompt_tokens", equalTo(2))
                .body("usage.total_tokens", equalTo(2));
    }

    @Test
    void base64EncodingDecodesToTheFloatVector() {
        List<Float> floats = given().contentType(ContentType.JSON)
                .body(Map.of("input", "wing"))
                .post("/v1/embeddings")
                .then()
                .statusCode(200)
                .extract()
                .path("data[0].embedding");
        String b64 = given().contentType(ContentType.JSON)
                .body(Map.of("input", "wing", "encoding_format", "base64"))
                .post("/v1/embeddings")
                .then()
                .statusCode(200)
                .extract()
                .path("data[0].embedding");
        ByteBuffer buf = ByteBuffer.wrap(Base64.getDecoder().decode(b64)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(buf.remaining()).isEqualTo(384 * 4);
        for (int i = 0; i < 384; i++) {
            assertThat(buf.getFloat()).isCloseTo(floats.get(i), org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void tokenArraysOfTheEmbeddersOwnTokenizerEmbedLikeTheirText() throws Exception {
        long[] ids;
        try (ai.djl.huggingface.tokenizers.HuggingFaceTokenizer t = dev.omnirag.embeddings.HuggingFaceTokenizers.load(
                getClass().getClassLoader().getResourceAsStream("bge-small-en-v1.5-q-tokenizer.json"), Map.of())) {
            ids = t.encode("swept wings delay drag", false, false).getIds();
        }
        List<Long> tokens = java.util.Arrays.stream(ids).boxed().toList();
        List<Float> fromText = given().contentType(ContentType.JSON)
                .body(Map.of("input", "swept wings delay drag"))
                .post("/v1/embeddings")
                .then()
                .statusCode(200)
                .extract()
                .path("data[0].embedding");
        List<Float> fromTokens = given().contentType(ContentType.JSON)
                .body(Map.of("input", tokens))
                .post("/v1/embeddings")
                .then()
                .statusCode(200)
                .extract()
                .path("data[0].embedding");
        assertThat(fromTokens).isEqualTo(fromText);
        given().contentType(ContentType.JSON)
                .body(Map.of("input", List.of(tokens, tokens)))
                .post("/v1/embeddings")
                .then()
                .statusCode(200)
                .body("data", hasSize(2));
        // OpenAI's tiktoken ids (cl100k reaches 100,000+) are not this tokenizer's: refused, never embedded as other
        // words.
        given().contentType(ContentType.JSON)
                .body(Map.of("input", List.of(15339, 100256)))
                .post("/v1/embeddings")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("invalid_value"))
                .body("detail", containsString("never OpenAI's tiktoken"));
    }

    @Test
    void badEmbeddingRequestsAreProblems() {
        given().contentType(ContentType.JSON)
                .body(Map.of("input", 42))
                .post("/v1/embeddings")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("input must be a string or an array of strings"))
                .body("error.message", containsString("input must be"));
        given().contentType(ContentType.JSON)
                .body(Map.of("input", List.of()))
                .post("/v1/embeddings")
                .then()
                .statusCode(400);
        given().contentType(ContentType.JSON)
                .body(Map.of("input", "x", "model", "gpt-x"))
                .post("/v1/embeddings")
                .then()
                .statusCode(404)
                .body("detail", containsString("does not exist"));
        given().contentType(ContentType.JSON)
                .body(Map.of("input", "x", "dimensions", 12))
                .post("/v1/embeddings")
                .then()
                .statusCode(400);
    }

    @Test
    void modelsListTheEmbedderAndCollections() {
        String id = TestSupport.createCollection("models");
        String name = given().get("/v1/collections/" + id).then().extract().path("name");
        given().get("/v1/models")
                .then()
                .statusCode(200)
                .body("object", equalTo("list"))
                .body("data.id", hasItem("bge-small-en-v1.5-int8"))
                .body("data.id", hasItem("omnirag:" + name))
                .body("data[0].object", equalTo("model"));
    }

    /** The official OpenAI Node.js client (npm "openai") against our /v1/embeddings. */
    @Test
    void officialOpenAiNodeClientEmbeds() throws Exception {
        Path dir = Path.of("test/js").toAbsolutePath();
        assertThat(dir.resolve("node_modules/openai"))
                .as("run the README test command: it installs the npm test " + "dependencies (npm ci in src/test/js)")
                .exists();
        String base = root.toString().replaceAll("/$", "");
        ProcessBuilder pb = new ProcessBuilder("node", "embeddings.mjs")
                .directory(dir.toFile())
                .redirectErrorStream(true);
        pb.environment().put("OMNIRAG_URL", base);
        Process node = pb.start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(out).isZero();
        JsonNode json = new ObjectMapper()
                .readTree(out.lines()
                        .filter(l -> l.startsWith("{"))
                        .reduce((a, b) -> b)
                        .orElseThrow());
        assertThat(json.get("object").asText()).isEqualTo("list");
        assertThat(json.get("model").asText()).isEqualTo("bge-small-en-v1.5-int8");
        assertThat(json.get("dims").asInt()).isEqualTo(384);
        assertThat(json.get("norm").asDouble()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(json.get("batchIndexes").toString()).isEqualTo("[0,1]");
        assertThat(json.get("error").get("status").asInt()).isEqualTo(404);
        assertThat(Files.exists(dir.resolve("package-lock.json"))).isTrue();
    }
}
