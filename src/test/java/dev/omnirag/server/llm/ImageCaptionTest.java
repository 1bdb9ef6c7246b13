package dev.omnirag.server.llm;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omnirag.generator.fake.FakeOpenAiServer;
import dev.omnirag.generator.fake.FakeOpenAiServer.Behaviour;
import dev.omnirag.generator.fake.FakeOpenAiServer.Reply;
import dev.omnirag.server.TestSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captions from a vision model (omnirag.image.caption.*), served by the fake OpenAI-protocol server: the picture
 * goes to it as a data URL, the caption joins the picture's text stand-in, and a failing captioner leaves the job
 * successful with a note.
 */
@QuarkusTest
@TestProfile(LlmProfile.class)
@Tag("llm")
class ImageCaptionTest {

    @TempDir
    Path tmp;

    /** A picture without any text: a blue sky over a green field. */
    private static BufferedImage landscape(int w, int h, Color sky) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(sky);
        g.fillRect(0, 0, w, h / 2);
        g.setColor(new Color(30, 140, 40));
        g.fillRect(0, h / 2, w, h - h / 2);
        g.dispose();
        return image;
    }

    private static List<JsonNode> imageRequests(FakeOpenAiServer server) {
        return server.requests().stream()
                .filter(r -> r.toString().contains("\"image_url\""))
                .toList();
    }

    private static String search(String collection, String query) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("query", query, "mode", "keyword", "k", 3))
                .post("/v1/collections/" + collection + "/search")
                .then()
                .statusCode(200)
                .extract()
                .path("results[0].filename");
    }

    @Test
    void aPictureIsFoundByAWordOfItsCaptionAndTheModelReceivedItAsADataUrl() throws IOException {
        FakeOpenAiServer server = FakeLlmResource.server().reset();
        server.respond(r -> Reply.text("A lighthouse keeper's cottage under a clear sky beside a meadow."));
        String collection = TestSupport.createCollection("captions");
        Path file = tmp.resolve("IMG_0042.png");
        ImageIO.write(landscape(400, 300, new Color(90, 160, 230)), "png", file.toFile());

        JsonPath job = TestSupport.ingest(collection, file);
        assertThat(job.getString("status")).as(job.getString("error")).isEqualTo("succeeded");
        assertThat(job.getString("message")).contains("captioned 1 page by fake-vl");
        assertThat(search(collection, "lighthouse")).isEqualTo("IMG_0042.png");

        List<JsonNode> requests = imageRequests(server);
        assertThat(requests).hasSize(1);
        JsonNode request = requests.get(0);
        assertThat(request.path("model").asText()).isEqualTo("fake-vl");
        assertThat(request.path("stream").asBoolean(true)).isFalse();
        JsonNode parts = request.path("messages").path(0).path("content");
        assertThat(parts.path(0).path("type").asText()).isEqualTo("text");
        assertThat(parts.path(0).path("text").asText()).contains("Describe this image");
        String url = parts.path(1).path("image_url").path("url").asText();
        assertThat(url).startsWith("data:image/jpeg;base64,");
        BufferedImage sent =
                ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1))));
        assertThat(sent.getWidth()).isEqualTo(400);
        assertThat(sent.getHeight()).isEqualTo(300);
        // The picture sent is the picture uploaded: sky above, field below (JPEG is lossy: compare loosely).
        Color top = new Color(sent.getRGB(200, 40));
        Color bottom = new Color(sent.getRGB(200, 260));
        assertThat(top.getBlue()).isGreaterThan(180);
        assertThat(bottom.getGreen()).isGreaterThan(100).isGreaterThan(bottom.getBlue());
    }

    @Test
    void aFailingCaptionerLeavesTheJobSuccessfulWithANote() throws IOException {
        FakeOpenAiServer server = FakeLlmResource.server().reset();
        // Both attempts (max-retries=1) answer 500.
        server.enqueue(Behaviour.status(500), Behaviour.status(500));
        String collection = TestSupport.createCollection("captions-down");
        Path file = tmp.resolve("meadow.png");
        ImageIO.write(landscape(200, 150, new Color(120, 170, 220)), "png", file.toFile());

        JsonPath job = TestSupport.ingest(collection, file);
        assertThat(job.getString("status")).as(job.getString("error")).isEqualTo("succeeded");
        assertThat(job.getString("message"))
                .contains("caption failed: the vision model fake-vl: ")
                .contains("HTTP 500");
        assertThat(imageRequests(server)).hasSize(2);
        // The picture is still found by its stand-in (its file name).
        assertThat(search(collection, "meadow.png")).isEqualTo("meadow.png");
        given().get("/q/health").then().statusCode(200);
    }
}
