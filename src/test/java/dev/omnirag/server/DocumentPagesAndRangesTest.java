package dev.omnirag.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Page images, quote boxes and ranged reads of a document's original bytes. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DocumentPagesAndRangesTest {

    private String collection;
    private String pdfId;
    private byte[] pdfBytes;

    /** A two-page US-letter PDF with known text at known places, made here with PDFBox. */
    @BeforeEach
    void upload() throws Exception {
        if (collection != null) {
            return;
        }
        Path dir = Files.createDirectories(Path.of("target/pages-test"));
        Path pdf = dir.resolve("two-pages.pdf");
        try (PDDocument doc = new PDDocument()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            write(doc, font, List.of("The first page talks about wind tunnels and nothing else."));
            // Page 2: the quote spans two lines, 72 pt from the left, its first baseline 100 pt below the top.
            write(
                    doc,
                    font,
                    List.of(
                            "Some opening words on the second page.",
                            "Trace trees give a 2x-20x speedup for",
                            "traceable programs in the measured suite.",
                            "The interpreter was extended by a trac-",
                            "ing compiler that records hot loops."));
            doc.save(pdf.toFile());
        }
        pdfBytes = Files.readAllBytes(pdf);
        collection = TestSupport.createCollection("pages");
        pdfId = TestSupport.ingest(collection, pdf).getString("documentId");
    }

    private static void write(PDDocument doc, PDType1Font font, List<String> lines) throws Exception {
        PDPage page = new PDPage(PDRectangle.LETTER);
        doc.addPage(page);
        try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
            cs.beginText();
            cs.setFont(font, 12);
            cs.setLeading(16);
            cs.newLineAtOffset(72, PDRectangle.LETTER.getHeight() - 84);
            for (String line : lines) {
                cs.showText(line);
                cs.newLine();
            }
            cs.endText();
        }
    }

    @Test
    void pdfPageRendersAsPngAndIsCached() throws Exception {
        Response r = given().get("/v1/documents/" + pdfId + "/pages/2.png");
        r.then().statusCode(200).contentType("image/png").header("Cache-Control", containsString("max-age"));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(r.asByteArray()));
        // 144 dpi: 8.5 x 11 inches
        assertThat(image.getWidth()).isEqualTo(1224);
        assertThat(image.getHeight()).isEqualTo(1584);
        // Text was drawn: the page is not blank white around where the lines are.
        assertThat(darkPixels(image, 144, 150, 600, 100)).isGreaterThan(200);
        try (var cached = Files.walk(PostgresTestResource.HOME.resolve("pages"))) {
            assertThat(cached.map(Path::toString)
                            .filter(p -> p.endsWith("/144/2.png"))
                            .count())
                    .isEqualTo(1);
        }
        byte[] again = given().get("/v1/documents/" + pdfId + "/pages/2.png")
                .then()
                .statusCode(200)
                .extract()
                .asByteArray();
        assertThat(again).isEqualTo(r.asByteArray());
    }

    private static int darkPixels(BufferedImage image, int x0, int y0, int w, int h) {
        int dark = 0;
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                if ((image.getRGB(x, y) & 0xff) < 128) {
                    dark++;
                }
            }
        }
        return dark;
    }

    @Test
    void pagesOutsideTheDocumentAndNonPdfDocumentsAre404WithADetail() throws Exception {
        given().get("/v1/documents/" + pdfId + "/pages/3.png")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("the document has 2 pages"));
        given().get("/v1/documents/" + pdfId + "/pages/0.png").then().statusCode(404);
        given().get("/v1/documents/" + pdfId + "/pages/x.png").then().statusCode(404);
        given().get("/v1/documents/6f1d2c8e-0000-4000-8000-000000000000/pages/1.png")
                .then()
                .statusCode(404)
                .body("detail", containsString("no document"));
        Path text = Files.writeString(Path.of("target/pages-test/notes.txt"), "Plain notes without pages at all.");
        String textId = TestSupport.upload(collection, text, 202).getString("documentId");
        given().get("/v1/documents/" + textId + "/pages/1.png")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("pages are rendered for PDF and image documents only"));
        given().queryParam("quote", "notes")
                .get("/v1/documents/" + textId + "/pages/1/highlight")
                .then()
                .statusCode(404);
    }

    @Test
    void anUploadedImageIsServedAsItsOwnPage() throws Exception {
        java.awt.image.BufferedImage image =
                new java.awt.image.BufferedImage(320, 200, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = image.createGraphics();
        g.setColor(java.awt.Color.ORANGE);
        g.fillRect(0, 0, 320, 200);
        g.dispose();
        Path png = Path.of("target/pages-test/orange.png");
        Files.createDirectories(png.getParent());
        javax.imageio.ImageIO.write(image, "png", png.toFile());
        String imageId = TestSupport.upload(collection, png, 202).getString("documentId");
        byte[] page = given().get("/v1/documents/" + imageId + "/pages/1.png")
                .then()
                .statusCode(200)
                .contentType("image/png")
                .extract()
                .asByteArray();
        java.awt.image.BufferedImage served = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(page));
        org.assertj.core.api.Assertions.assertThat(served.getWidth()).isEqualTo(320);
        org.assertj.core.api.Assertions.assertThat(served.getRGB(10, 10) & 0xFFFFFF)
                .isEqualTo(java.awt.Color.ORANGE.getRGB() & 0xFFFFFF);
        // Before ingestion has counted the pages the image itself is asked; after, the document's count answers.
        given().get("/v1/documents/" + imageId + "/pages/2.png")
                .then()
                .statusCode(404)
                .body(
                        "detail",
                        org.hamcrest.Matchers.anyOf(
                                containsString("the image has 1 page"), containsString("the document has 1 page")));
    }

    @Test
    void aQuoteWithAWordHyphenatedAcrossLinesIsHighlightedOnBothLines() {
        // The quote as the page text has it (the extractive answer shows it joined: "a tracing compiler").
        Response r = given().queryParam("quote", "extended by a trac-\ning compiler")
                .get("/v1/documents/" + pdfId + "/pages/2/highlight");
        r.then().statusCode(200).body("found", equalTo(true));
        List<Map<String, Float>> boxes = r.jsonPath().getList("boxes");
        assertThat(boxes).hasSize(2);
        float pageH = PDRectangle.LETTER.getHeight();
        // Lines 4 and 5 of page 2: baselines 132 and 148 pt below the top.
        assertThat(boxes.get(0).get("y") * pageH).isBetween(116f, 132f);
        assertThat(boxes.get(1).get("y") * pageH).isBetween(132f, 148f);
    }

    @Test
    void aWordHyphenatedAcrossLinesIsFoundWholeByKeywordSearch() throws Exception {
        Path pdf = Files.createDirectories(Path.of("target/pages-test")).resolve("broken-word.pdf");
        try (PDDocument doc = new PDDocument()) {
            write(
                    doc,
                    new PDType1Font(Standard14Fonts.FontName.HELVETICA),
                    List.of("Mozilla's JavaScript engine, called Spi-", "derMonkey, records traces of hot loops."));
            doc.save(pdf.toFile());
        }
        String engines = TestSupport.createCollection("broken-words");
        String id = TestSupport.ingest(engines, pdf).getString("documentId");

        Response r = given().contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("query", "SpiderMonkey", "mode", "keyword"))
                .post("/v1/collections/" + engines + "/search");

        r.then().statusCode(200).body("results.size()", equalTo(1));
        assertThat(r.jsonPath().getString("results[0].documentId")).isEqualTo(id);
        // The chunk's text keeps the page's characters; only what keyword search reads has the word whole.
        assertThat(r.jsonPath().getString("results[0].text")).contains("Spi-\nderMonkey");
    }

    @Test
    void quoteIsLocatedAsOneBoxPerLineOnThePage() {
        // Whitespace differs from the PDF's (a newline for the line break, doubled spaces): still found.
        Response r = given().queryParam("quote", "2x-20x speedup for\ntraceable  programs")
                .get("/v1/documents/" + pdfId + "/pages/2/highlight");
        r.then().statusCode(200).body("page", equalTo(2)).body("found", equalTo(true));
        List<Map<String, Float>> boxes = r.jsonPath().getList("boxes");
        assertThat(boxes).hasSize(2);
        float pageW = PDRectangle.LETTER.getWidth();
        float pageH = PDRectangle.LETTER.getHeight();
        // Line 2 of page 2 has its baseline 100 pt below the top; line 3 at 116 pt. Both start 72 pt from the left
        // or further right (the quote starts mid-line).
        Map<String, Float> first = boxes.get(0);
        Map<String, Float> second = boxes.get(1);
        assertThat(first.get("y") * pageH).isBetween(84f, 100f);
        assertThat((first.get("y") + first.get("h")) * pageH).isBetween(100f, 106f);
        assertThat(first.get("x") * pageW).isGreaterThan(150f);
        assertThat(second.get("x") * pageW).isBetween(71f, 73f);
        assertThat(second.get("y") * pageH).isBetween(100f, 116f);
        assertThat(second.get("w") * pageW).isBetween(80f, 160f);

        given().queryParam("quote", "a sentence that is not on this page")
                .get("/v1/documents/" + pdfId + "/pages/2/highlight")
                .then()
                .statusCode(200)
                .body("found", equalTo(false))
                .body("boxes.size()", equalTo(0));
        given().get("/v1/documents/" + pdfId + "/pages/2/highlight").then().statusCode(400);
    }

    @Test
    void contentAnswersByteRanges() {
        int size = pdfBytes.length;
        String url = "/v1/documents/" + pdfId + "/content";
        given().get(url)
                .then()
                .statusCode(200)
                .header("Accept-Ranges", "bytes")
                .header("Content-Length", String.valueOf(size));

        Response head = given().header("Range", "bytes=0-3").get(url);
        head.then()
                .statusCode(206)
                .header("Content-Range", "bytes 0-3/" + size)
                .header("Content-Length", "4")
                .header("Accept-Ranges", "bytes")
                .contentType("application/pdf");
        assertThat(head.asByteArray()).isEqualTo("%PDF".getBytes());

        Response middle = given().header("Range", "bytes=100-199").get(url);
        middle.then().statusCode(206).header("Content-Range", "bytes 100-199/" + size);
        assertThat(middle.asByteArray()).isEqualTo(Arrays.copyOfRange(pdfBytes, 100, 200));

        Response tail = given().header("Range", "bytes=-6").get(url);
        tail.then().statusCode(206).header("Content-Range", "bytes " + (size - 6) + "-" + (size - 1) + "/" + size);
        assertThat(tail.asByteArray()).isEqualTo(Arrays.copyOfRange(pdfBytes, size - 6, size));

        Response open = given().header("Range", "bytes=" + (size - 10) + "-").get(url);
        open.then().statusCode(206);
        assertThat(open.asByteArray()).isEqualTo(Arrays.copyOfRange(pdfBytes, size - 10, size));

        // An end past the file is cut to the file.
        given().header("Range", "bytes=" + (size - 2) + "-" + (size + 100))
                .get(url)
                .then()
                .statusCode(206)
                .header("Content-Range", "bytes " + (size - 2) + "-" + (size - 1) + "/" + size);

        for (String bad : List.of("bytes=" + size + "-", "bytes=9-3", "bytes=abc", "bytes=-0", "bytes")) {
            given().header("Range", bad)
                    .get(url)
                    .then()
                    .statusCode(416)
                    .header("Content-Range", "bytes */" + size)
                    .contentType("application/problem+json")
                    .body("detail", containsString("cannot be satisfied"));
        }
        // Several ranges, another unit, or a stale If-Range: the whole file.
        given().header("Range", "bytes=0-1,5-6").get(url).then().statusCode(200);
        given().header("Range", "items=0-1").get(url).then().statusCode(200);
        given().header("Range", "bytes=0-1")
                .header("If-Range", "\"other\"")
                .get(url)
                .then()
                .statusCode(200)
                .header("Content-Length", String.valueOf(size));
        String etag = given().get(url).then().extract().header("ETag");
        given().header("Range", "bytes=0-1")
                .header("If-Range", etag)
                .get(url)
                .then()
                .statusCode(206);
    }
}
