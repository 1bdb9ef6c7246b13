package dev.omnirag.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.omnirag.embeddings.TinyClip;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The native path with a real ONNX dual encoder: the tiny CLIP-layout model the embeddings tests write
 * ({@link TinyClip}: a 3-d colour space), configured as the server's multimodal embedder. Pictures without text
 * (solid colours, all named photo.png so the text path cannot tell them apart) are found by a text query through
 * the CLIP text tower and by an image query through the image tower.
 */
@QuarkusTest
@TestProfile(MultimodalNativeTest.TinyClipProfile.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultimodalNativeTest {

    /** Writes the tiny model under target/ and points omnirag.multimodal at it. */
    public static class TinyClipProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Path dir = TinyClip.write(Path.of("target/tiny-clip").toAbsolutePath());
            return Map.of(
                    "omnirag.multimodal.embedder",
                    "CLIP_ONNX",
                    "omnirag.multimodal.clip-directory",
                    dir.toString(),
                    "omnirag.multimodal.space-name",
                    "tiny-clip",
                    "omnirag.multimodal.threads",
                    "1");
        }
    }

    private String collection;
    private final Map<String, String> documentByColour = new java.util.HashMap<>();

    static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    static BufferedImage solid(Color colour, int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return image;
    }

    @BeforeEach
    void ingestPictures() throws IOException {
        if (collection != null) {
            return;
        }
        JsonPath created = given().contentType(ContentType.JSON)
                .body(Map.of("name", "pictures"))
                .post("/v1/collections")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        assertThat(created.getString("nativeSpace")).isEqualTo("tiny-clip");
        assertThat(created.getInt("nativeDimensions")).isEqualTo(3);
        collection = created.getString("id");
        Map<String, Color> colours = Map.of("red", Color.RED, "green", Color.GREEN, "blue", Color.BLUE);
        for (Map.Entry<String, Color> e : colours.entrySet()) {
            Path dir = Files.createTempDirectory("pictures-" + e.getKey());
            Path file = Files.write(dir.resolve("photo.png"), png(solid(e.getValue(), 120, 90)));
            JsonPath job = TestSupport.ingest(collection, file);
            assertThat(job.getString("status"))
                    .as("%s: %s", e.getKey(), job.getString("error"))
                    .isEqualTo("succeeded");
            documentByColour.put(e.getKey(), job.getString("documentId"));
        }
    }

    @Test
    void aTextQueryFindsThePictureOfItsColourThroughTheNativePath() {
        for (String colour : List.of("red", "green", "blue")) {
            JsonPath r = given().contentType(ContentType.JSON)
                    .body(Map.of("query", "something " + colour, "mode", "vector", "fusion", "weighted", "k", 3))
                    .post("/v1/collections/" + collection + "/search")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(r.getString("results[0].documentId")).as(colour).isEqualTo(documentByColour.get(colour));
            assertThat(r.getString("results[0].text")).isEqualTo("photo.png");
            assertThat(r.getInt("results[0].locator.page")).isEqualTo(1);
        }
    }

    @Test
    void anImageQueryFindsThePictureOfItsColour() throws IOException {
        long seed = new Random().nextLong();
        System.out.println("MultimodalNativeTest image query seed=" + seed);
        Random random = new Random(seed);
        BufferedImage query =
                solid(new Color(200 + random.nextInt(56), random.nextInt(40), random.nextInt(40)), 64, 64);
        Path file = Files.write(Files.createTempDirectory("query").resolve("query.png"), png(query));
        JsonPath r = given().multiPart("image", file.toFile(), "image/png")
                .multiPart("k", "3")
                .post("/v1/collections/" + collection + "/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(r.getString("mode")).isEqualTo("hybrid");
        assertThat(r.getString("results[0].documentId")).as("seed=%d", seed).isEqualTo(documentByColour.get("red"));

        String blue = "data:image/png;base64," + Base64.getEncoder().encodeToString(png(solid(Color.BLUE, 30, 30)));
        JsonPath byUrl = given().contentType(ContentType.JSON)
                .body(Map.of("imageUrl", blue, "k", 1))
                .post("/v1/collections/" + collection + "/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(byUrl.getString("results[0].documentId")).isEqualTo(documentByColour.get("blue"));
    }

    @Test
    void embeddingsEndpointEmbedsImagesWithTheImageTower() throws IOException {
        String red = "data:image/png;base64," + Base64.getEncoder().encodeToString(png(solid(Color.RED, 16, 16)));
        JsonPath r = given().contentType(ContentType.JSON)
                .body(Map.of("input", List.of(Map.of("image", red), "red"), "model", "tiny-clip"))
                .post("/v1/embeddings")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(r.getString("model")).isEqualTo("tiny-clip");
        List<Float> image = r.getList("data[0].embedding", Float.class);
        List<Float> text = r.getList("data[1].embedding", Float.class);
        double third = 1 / Math.sqrt(3);
        assertThat(image).hasSize(3);
        assertThat((double) image.get(0)).isCloseTo(third, offset(1e-5));
        assertThat((double) image.get(1)).isCloseTo(-third, offset(1e-5));
        assertThat((double) text.get(0)).isCloseTo(third, offset(1e-5));
        given().get("/v1/models").then().statusCode(200).body("data.id", org.hamcrest.Matchers.hasItem("tiny-clip"));
        given().contentType(ContentType.JSON)
                .body(Map.of("input", List.of(Map.of("image", "not base64 !!")), "model", "tiny-clip"))
                .post("/v1/embeddings")
                .then()
                .statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("input[0]"));
        given().contentType(ContentType.JSON)
                .body(Map.of("input", List.of(red), "model", "bge-small-en-v1.5-int8"))
                .post("/v1/embeddings")
                .then()
                .statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("no image tower"));
    }
}
