package dev.omnirag.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images, scans and recordings end to end over HTTP, with the real engines: Tesseract OCR of a rendered paragraph
 * and of the damaged scan scan-bad.pdf, PocketSphinx on jfk.wav, bad media failing with reasons, and an image
 * query (a page of tracemonkey.pdf rendered at 100 dpi) finding its page through the OCR text path alone.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultimodalIngestTest {

    static final List<String> PARAGRAPH = List.of(
            "Boundary layer transition on a flat plate",
            "depends on the Reynolds number and on the",
            "turbulence of the free stream above it.");

    @TempDir
    static Path tmp;

    private String collection;
    private int[] reynoldsBox;

    /** One collection holding a screenshot of text, the damaged scan and the recording (acceptance 2). */
    @BeforeEach
    void ingestOnce() throws IOException {
        if (collection != null) {
            return;
        }
        collection = TestSupport.createCollection("multimodal");
        Path png = tmp.resolve("screenshot.png");
        BufferedImage image = paragraph(1400, 400);
        ImageIO.write(image, "png", png.toFile());
        for (Path file :
                List.of(png, TestSupport.shared("media/pdf/scan-bad.pdf"), TestSupport.shared("media/audio/jfk.wav"))) {
            JsonPath job = TestSupport.ingest(collection, file);
            System.out.printf("%s -> %s: %s%n", file.getFileName(), job.getString("status"), job.getString("message"));
            assertThat(job.getString("status"))
                    .as("%s: %s", file.getFileName(), job.getString("error"))
                    .isEqualTo("succeeded");
        }
    }

    /** Draws {@link #PARAGRAPH} and remembers the pixel box of "Reynolds". */
    private BufferedImage paragraph(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SERIF, Font.PLAIN, 40));
        FontMetrics fm = g.getFontMetrics();
        int y = 40 + fm.getAscent();
        for (String line : PARAGRAPH) {
            g.drawString(line, 40, y);
            int at = line.indexOf("Reynolds");
            if (at >= 0) {
                int x = 40 + fm.stringWidth(line.substring(0, at));
                reynoldsBox = new int[] {x, y - fm.getAscent(), x + fm.stringWidth("Reynolds"), y + fm.getDescent()};
            }
            y += fm.getHeight() + 20;
        }
        g.dispose();
        return image;
    }

    private static JsonPath search(Map<String, Object> body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .post("/v1/collections/{id}/search", body.get("collection"))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** A search of the shared collection (5 hits) in a mode, answered 200. */
    private JsonPath search(String query, String mode) {
        return search(collection, query, mode);
    }

    /** A search of a collection (5 hits) in a mode, answered 200. */
    private static JsonPath search(String collection, String query, String mode) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("query", query, "mode", mode, "k", 5))
                .post("/v1/collections/" + collection + "/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void aScreenshotOfTextIsFoundByItsWordsWithABoxAroundThem() {
        JsonPath r = search("Reynolds number turbulence", "hybrid");
        assertThat(r.getString("results[0].filename")).isEqualTo("screenshot.png");
        assertThat(r.getString("results[0].mediaType")).isEqualTo("image/png");
        assertThat(r.getInt("results[0].locator.page")).isEqualTo(1);
        assertThat(r.getString("results[0].text")).contains("Reynolds");
        Map<String, Float> box = r.getMap("results[0].locator.bbox");
        // The chunk's box covers the drawn word "Reynolds" (1400x400 image).
        double x0 = reynoldsBox[0] / 1400.0;
        double y0 = reynoldsBox[1] / 400.0;
        double x1 = reynoldsBox[2] / 1400.0;
        double y1 = reynoldsBox[3] / 400.0;
        assertThat(box.get("x").doubleValue()).isLessThanOrEqualTo(x0 + 0.01);
        assertThat(box.get("y").doubleValue()).isLessThanOrEqualTo(y0 + 0.02);
        assertThat(box.get("x").doubleValue() + box.get("w").doubleValue()).isGreaterThanOrEqualTo(x1 - 0.01);
        assertThat(box.get("y").doubleValue() + box.get("h").doubleValue()).isGreaterThanOrEqualTo(y1 - 0.02);
        // The highlight is the line with the query's words: narrower than the chunk, still around "Reynolds".
        Map<String, Float> line = r.getMap("results[0].highlight.bbox");
        assertThat(line.get("h")).isLessThan(box.get("h"));
        assertThat(line.get("y").doubleValue()).isLessThanOrEqualTo(y0 + 0.02);
        assertThat(line.get("y").doubleValue() + line.get("h").doubleValue()).isGreaterThanOrEqualTo(y1 - 0.02);
    }

    @Test
    void theDamagedScanIsRecoveredByOcrAndFoundOnPageOne() {
        JsonPath r = search("pdf.js", "keyword");
        assertThat(r.getString("results[0].filename")).isEqualTo("scan-bad.pdf");
        assertThat(r.getInt("results[0].locator.page")).isEqualTo(1);
        assertThat(r.getString("results[0].text")).contains("pdf.js");
        assertThat(r.getMap("results[0].locator.bbox")).isNotNull();
        String documentId = r.getString("results[0].documentId");
        JsonPath doc = given().get("/v1/documents/" + documentId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(doc.getString("status")).isEqualTo("ready");
        assertThat(doc.getInt("pageCount")).isEqualTo(1);
    }

    @Test
    void theRecordingIsFoundByWhatIsSaidWithTheSecondsItIsSaid() {
        JsonPath r = search("what your country can do for you", "hybrid");
        System.out.println("jfk search: locator " + r.getMap("results[0].locator") + ", highlight "
                + r.getMap("results[0].highlight"));
        assertThat(r.getString("results[0].filename")).isEqualTo("jfk.wav");
        assertThat(r.getString("results[0].text")).contains("what your country can do for you");
        assertThat(r.getLong("results[0].locator.startMs")).isLessThan(r.getLong("results[0].locator.endMs"));
        assertThat(r.getLong("results[0].highlight.startMs")).isBetween(3000L, 9000L);
        assertThat(r.getLong("results[0].highlight.endMs")).isBetween(5000L, 9000L);
        assertThat((Object) r.get("results[0].locator.page")).isNull();
    }

    @Test
    void askCitesThePageAndBoxOrTheSecond() {
        JsonPath speech = given().contentType(ContentType.JSON)
                .body(Map.of("question", "what your country can do for you", "k", 3))
                .post("/v1/collections/" + collection + "/ask")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<Map<String, Object>> citations = speech.getList("citations");
        assertThat(citations).isNotEmpty();
        Map<String, Object> jfk = citations.stream()
                .filter(c -> "jfk.wav".equals(c.get("filename")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no citation of jfk.wav: " + speech.prettify()));
        @SuppressWarnings("unchecked")
        Map<String, Object> locator = (Map<String, Object>) jfk.get("locator");
        assertThat(((Number) locator.get("startMs")).longValue()).isBetween(3000L, 9000L);
        assertThat((String) jfk.get("quote")).contains("country");

        JsonPath text = given().contentType(ContentType.JSON)
                .body(Map.of("question", "What does boundary layer transition depend on?"))
                .post("/v1/collections/" + collection + "/ask")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<Map<String, Object>> cited = text.getList("citations");
        Map<String, Object> shot = cited.stream()
                .filter(c -> "screenshot.png".equals(c.get("filename")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no citation of the screenshot: " + text.prettify()));
        @SuppressWarnings("unchecked")
        Map<String, Object> where = (Map<String, Object>) shot.get("locator");
        assertThat(where.get("page")).isEqualTo(1);
        assertThat(where.get("bbox")).isNotNull();
    }

    @Test
    void anImageOfATraceMonkeyPageFindsThatPageThroughItsText() throws IOException {
        String papers = TestSupport.createCollection("papers-by-image");
        JsonPath job = TestSupport.ingest(papers, TestSupport.shared("media/pdf/tracemonkey.pdf"));
        assertThat(job.getString("status")).isEqualTo("succeeded");
        byte[] png;
        try (PDDocument pdf =
                Loader.loadPDF(TestSupport.shared("media/pdf/tracemonkey.pdf").toFile())) {
            BufferedImage page = new PDFRenderer(pdf).renderImageWithDPI(3, 100); // page 4
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(page, "png", out);
            png = out.toByteArray();
        }
        String dataUrl = "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
        JsonPath r = given().contentType(ContentType.JSON)
                .body(Map.of("imageUrl", dataUrl, "k", 3))
                .post("/v1/collections/" + papers + "/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<Integer> pages = r.getList("results.locator.page");
        System.out.println("image query (tracemonkey page 4 at 100 dpi) -> pages " + pages);
        assertThat(pages).contains(4);

        Path file = Files.write(tmp.resolve("page4.png"), png);
        JsonPath multipart = given().multiPart("image", file.toFile(), "image/png")
                .multiPart("k", "3")
                .post("/v1/collections/" + papers + "/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(multipart.getList("results.locator.page", Integer.class)).contains(4);

        // ask with the image alone: its text stands for the question, and the answer cites that page.
        JsonPath answer = given().multiPart("image", file.toFile(), "image/png")
                .multiPart("k", "3")
                .post("/v1/collections/" + papers + "/ask")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(answer.getList("citations.locator.page", Integer.class)).contains(4);

        // Without a multimodal embedder an image cannot be embedded by /v1/embeddings: a clear 400.
        given().contentType(ContentType.JSON)
                .body(Map.of("input", List.of(dataUrl)))
                .post("/v1/embeddings")
                .then()
                .statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("no image tower"));
    }

    @Test
    void aScannedPdfWithoutTextLayerIsReadByOcrWithPageAndBox() throws IOException {
        // A one-page PDF whose page is only an image of the paragraph, as a scanner makes (300 dpi, US Letter).
        BufferedImage scan = new BufferedImage(2550, 3300, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scan.createGraphics();
        g.drawImage(paragraph(2550, 600), 0, 300, null);
        g.setColor(Color.WHITE);
        g.fillRect(0, 900, 2550, 2400);
        g.dispose();
        Path pdf = tmp.resolve("scanned.pdf");
        try (PDDocument doc = new PDDocument()) {
            org.apache.pdfbox.pdmodel.PDPage page =
                    new org.apache.pdfbox.pdmodel.PDPage(org.apache.pdfbox.pdmodel.common.PDRectangle.LETTER);
            doc.addPage(page);
            var image = org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory.createFromImage(doc, scan);
            try (var content = new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
                content.drawImage(image, 0, 0, 612, 792);
            }
            doc.save(pdf.toFile());
        }
        String scans = TestSupport.createCollection("scans");
        JsonPath job = TestSupport.ingest(scans, pdf);
        assertThat(job.getString("status")).as(job.getString("error")).isEqualTo("succeeded");
        assertThat(job.getString("message")).contains("OCR on 1 page");
        JsonPath r = search(scans, "Reynolds turbulence", "keyword");
        assertThat(r.getString("results[0].filename")).isEqualTo("scanned.pdf");
        assertThat(r.getInt("results[0].locator.page")).isEqualTo(1);
        // The paragraph was drawn between 300 and 900 pixels down a 3300-pixel page.
        Map<String, Float> box = r.getMap("results[0].locator.bbox");
        assertThat(box.get("y").doubleValue()).isBetween(300 / 3300.0, 900 / 3300.0);
        assertThat(box.get("y").doubleValue() + box.get("h").doubleValue()).isLessThan(900 / 3300.0);
    }

    @Test
    void aSlidesDiagramIsFoundByItsWordsOnItsSlideAndALogoOnEverySlideIsNotRead() throws IOException {
        Path pptx = tmp.resolve("cooling-review.pptx");
        try (var deck = new org.apache.poi.xslf.usermodel.XMLSlideShow();
                var out = Files.newOutputStream(pptx)) {
            BufferedImage logo = new BufferedImage(400, 120, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = logo.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, 400, 120);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 48));
            g.drawString("Quorvex", 20, 80);
            g.dispose();
            var logoData = deck.addPicture(png(logo), org.apache.poi.sl.usermodel.PictureData.PictureType.PNG);
            var diagramData =
                    deck.addPicture(png(paragraph(1400, 400)), org.apache.poi.sl.usermodel.PictureData.PictureType.PNG);
            for (int i = 1; i <= 3; i++) {
                var slide = deck.createSlide();
                slide.createTextBox().setText("Review of cooling tests, part " + i);
                slide.createPicture(logoData);
                if (i == 2) {
                    slide.createPicture(diagramData);
                }
            }
            deck.write(out);
        }
        String slides = TestSupport.createCollection("slides");
        JsonPath job = TestSupport.ingest(slides, pptx);
        assertThat(job.getString("status")).as(job.getString("error")).isEqualTo("succeeded");
        assertThat(job.getString("message")).contains("OCR on 1 picture");

        JsonPath found = search(slides, "Reynolds number turbulence free stream", "keyword");
        assertThat(found.getString("results[0].filename")).isEqualTo("cooling-review.pptx");
        assertThat(found.getInt("results[0].locator.page")).isEqualTo(2);
        assertThat(found.getString("results[0].text")).containsIgnoringCase("boundary layer transition");
        // The logo on every slide is decoration, not words of each slide.
        assertThat(search(slides, "Quorvex", "keyword").getList("results")).isEmpty();
    }

    private static byte[] png(BufferedImage image) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    @Test
    void aPictureOnATextPageIsFoundByItsWordsAndCaptionWithThePicturesBox() throws IOException {
        Path pdf = tmp.resolve("cooling-report.pdf");
        dev.omnirag.server.eval.ParsingDevSet.figureReport(pdf);
        String collection = TestSupport.createCollection("figures");
        JsonPath job = TestSupport.ingest(collection, pdf);
        assertThat(job.getString("status")).as(job.getString("error")).isEqualTo("succeeded");
        assertThat(job.getString("message")).contains("OCR on 1 picture on text pages");

        JsonPath found = search(collection, "pump pressure peaked during the stress test", "keyword");

        // The picture's words with its caption (drawn just below it), apart from the page's text.
        assertThat(found.getString("results[0].text"))
                .contains("Pump pressure peaked at 4.2 bar")
                .startsWith("Figure 1. Stress test log.")
                .doesNotContain("Cooling system report");
        assertThat(found.getInt("results[0].locator.page")).isEqualTo(1);
        // The picture is drawn at x 60..530 pt, y 500..621 pt of a 595 x 842 pt page (origin bottom left); the box
        // of its words lies inside it.
        double x = found.getDouble("results[0].locator.bbox.x");
        double y = found.getDouble("results[0].locator.bbox.y");
        double w = found.getDouble("results[0].locator.bbox.w");
        double h = found.getDouble("results[0].locator.bbox.h");
        assertThat(x).isBetween(60 / 595.0 - 0.01, 530 / 595.0);
        assertThat(x + w).isBetween(60 / 595.0, 530 / 595.0 + 0.01);
        assertThat(y).isBetween((842 - 621) / 842.0 - 0.01, (842 - 500) / 842.0);
        assertThat(y + h).isBetween((842 - 621) / 842.0, (842 - 500) / 842.0 + 0.01);

        JsonPath answer = given().contentType(ContentType.JSON)
                .body(Map.of("question", "What pressure did the pump peak at during the stress test?"))
                .post("/v1/collections/" + collection + "/ask")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(answer.getString("answer")).contains("4.2 bar");
    }

    @Test
    void pagesWhoseFontsMapToNothingAreReadByOcrAndFoundAsEnglish() throws IOException {
        // TAMReview.pdf's first three pages: page 1 has a real text layer; the fonts of pages 2 and 3 map their glyphs
        // to no readable characters, while the rendered pages are plain English.
        Path pdf = tmp.resolve("tam-3-pages.pdf");
        try (PDDocument doc = org.apache.pdfbox.Loader.loadPDF(
                TestSupport.shared("media/pdf/TAMReview.pdf").toFile())) {
            while (doc.getNumberOfPages() > 3) {
                doc.removePage(doc.getNumberOfPages() - 1);
            }
            doc.save(pdf.toFile());
        }
        String collection = TestSupport.createCollection("broken-fonts");
        JsonPath job = TestSupport.ingest(collection, pdf);
        assertThat(job.getString("status")).as(job.getString("error")).isEqualTo("succeeded");
        assertThat(job.getString("message"))
                .contains("2 of 3 pages read by OCR because their text layer is unusable")
                .contains("no Unicode mapping");
        List<Map<String, Object>> results = given().contentType(ContentType.JSON)
                .body(Map.of("query", "perceived usefulness and perceived ease of use", "mode", "keyword", "k", 10))
                .post("/v1/collections/" + collection + "/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("results");
        List<Map<String, Object>> ocrd = results.stream()
                .filter(r -> ((Map<?, ?>) r.get("locator")).get("page") instanceof Integer p && p >= 2)
                .toList();
        assertThat(ocrd).as("hits on the OCR'd pages").isNotEmpty();
        assertThat(ocrd)
                .anySatisfy(r -> assertThat((String) r.get("text")).containsIgnoringCase("perceived usefulness"));
        for (Map<String, Object> r : ocrd) {
            String text = (String) r.get("text");
            assertThat(text).doesNotContain("\uFFFD");
            long letters = text.chars().filter(Character::isLetter).count();
            assertThat(letters).as("mostly letters: " + text).isGreaterThan(text.length() / 2);
        }
    }

    /** One PNG chunk: length, type, data, CRC. */
    static byte[] pngChunk(String type, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] name = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(name);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        return out.toByteArray();
    }

    /** The PNG with an XMP packet (dc:description, dc:subject keywords) in an iTXt chunk right after IHDR. */
    static byte[] withXmp(byte[] png, String description, String... keywords) {
        StringBuilder bag = new StringBuilder();
        for (String k : keywords) {
            bag.append("<rdf:li>").append(k).append("</rdf:li>");
        }
        String xmp =
                "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\">"
                        + "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"\" "
                        + "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">"
                        + description + "</rdf:li></rdf:Alt></dc:description><dc:subject><rdf:Bag>" + bag
                        + "</rdf:Bag></dc:subject></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>";
        ByteArrayOutputStream itxt = new ByteArrayOutputStream();
        // keyword, NUL, compression flag 0, method 0, empty language tag + NUL, empty translated keyword + NUL, text
        itxt.writeBytes("XML:com.adobe.xmp".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        itxt.writeBytes(new byte[] {0, 0, 0, 0, 0});
        itxt.writeBytes(xmp.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        int afterIhdr = 8 + 25;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, afterIhdr);
        out.writeBytes(pngChunk("iTXt", itxt.toByteArray()));
        out.write(png, afterIhdr, png.length - afterIhdr);
        return out.toByteArray();
    }

    /** The JPEG with an EXIF APP1 segment whose IFD0 holds one ImageDescription right after SOI. */
    static byte[] withExifDescription(byte[] jpeg, String description) {
        byte[] text = (description + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        // Little-endian TIFF: header, IFD0 at 8 with one entry (0x010E ASCII, count, offset 26), no next IFD, the text.
        ByteBuffer tiff = ByteBuffer.allocate(26 + text.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        tiff.putShort((short) 1)
                .putShort((short) 0x010E)
                .putShort((short) 2)
                .putInt(text.length)
                .putInt(26)
                .putInt(0);
        tiff.put(text);
        byte[] app1 = ByteBuffer.allocate(6 + tiff.capacity())
                .put("Exif\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put(tiff.array())
                .array();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE1});
        out.writeBytes(
                ByteBuffer.allocate(2).putShort((short) (app1.length + 2)).array());
        out.writeBytes(app1);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** Runs ffmpeg (installed with the audio packages) and fails the test when it fails. */
    static void ffmpeg(String... args) throws IOException, InterruptedException {
        List<String> command =
                new java.util.ArrayList<>(List.of("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("ffmpeg %s: %s", command, output).isZero();
    }

    private static String topFilename(String collection, String query) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("query", query, "mode", "keyword", "k", 3))
                .post("/v1/collections/" + collection + "/search")
                .then()
                .statusCode(200)
                .extract()
                .path("results[0].filename");
    }

    @Test
    void embeddedDescriptionsAndTagsAreFoundByTheirWords() throws Exception {
        String described = TestSupport.createCollection("described");
        // A screenshot of text whose XMP describes it: OCR reads the drawn words, the description and keywords stay.
        ByteArrayOutputStream shot = new ByteArrayOutputStream();
        ImageIO.write(paragraph(1400, 400), "png", shot);
        Path xmpPng = Files.write(
                tmp.resolve("xmp-shot.png"),
                withXmp(shot.toByteArray(), "Notes about a marmoset", "axolotl", "wind tunnel"));
        // A photo without text whose EXIF ImageDescription is its only words.
        ByteArrayOutputStream photo = new ByteArrayOutputStream();
        ImageIO.write(MultimodalNativeTest.solid(Color.ORANGE, 160, 120), "jpg", photo);
        Path exifJpeg = Files.write(
                tmp.resolve("photo.jpg"), withExifDescription(photo.toByteArray(), "A quokka sunning on a rock"));
        // jfk.wav as MP3 with an ID3 title and comment; two seconds of silence as OGG with a Vorbis title.
        Path mp3 = tmp.resolve("speech.mp3");
        ffmpeg(
                "-i",
                TestSupport.shared("media/audio/jfk.wav").toString(),
                "-metadata",
                "title=Inaugural zanzibar address",
                "-metadata",
                "comment=recorded in Washington",
                mp3.toString());
        Path ogg = tmp.resolve("quiet.ogg");
        ffmpeg(
                "-f",
                "lavfi",
                "-i",
                "anullsrc=r=16000:cl=mono",
                "-t",
                "2",
                "-c:a",
                "libvorbis",
                "-metadata",
                "title=Pangolin lullaby",
                ogg.toString());
        for (Path file : List.of(xmpPng, exifJpeg, mp3, ogg)) {
            JsonPath job = TestSupport.ingest(described, file);
            System.out.printf("%s -> %s: %s%n", file.getFileName(), job.getString("status"), job.getString("message"));
            assertThat(job.getString("status"))
                    .as("%s: %s", file.getFileName(), job.getString("error"))
                    .isEqualTo("succeeded");
        }
        assertThat(topFilename(described, "marmoset")).isEqualTo("xmp-shot.png");
        assertThat(topFilename(described, "axolotl")).isEqualTo("xmp-shot.png");
        assertThat(topFilename(described, "Reynolds turbulence")).isEqualTo("xmp-shot.png");
        assertThat(topFilename(described, "quokka")).isEqualTo("photo.jpg");
        assertThat(topFilename(described, "zanzibar")).isEqualTo("speech.mp3");
        assertThat(topFilename(described, "Washington")).isEqualTo("speech.mp3");
        assertThat(topFilename(described, "country")).isEqualTo("speech.mp3");
        assertThat(topFilename(described, "pangolin")).isEqualTo("quiet.ogg");
        // The OCR'd words keep their box; the description's chunk of the screenshot is the page's.
        JsonPath shotHit = given().contentType(ContentType.JSON)
                .body(Map.of("query", "Reynolds", "mode", "keyword", "k", 1))
                .post("/v1/collections/" + described + "/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(shotHit.getMap("results[0].locator.bbox")).isNotNull();
        // The title's chunk of the recording has no time; the speech keeps its seconds.
        JsonPath title = given().contentType(ContentType.JSON)
                .body(Map.of("query", "zanzibar", "mode", "keyword", "k", 1))
                .post("/v1/collections/" + described + "/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat((Object) title.get("results[0].locator.startMs")).isNull();
        JsonPath speech = given().contentType(ContentType.JSON)
                .body(Map.of("query", "country", "mode", "keyword", "k", 1))
                .post("/v1/collections/" + described + "/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(speech.getLong("results[0].locator.startMs")).isGreaterThanOrEqualTo(0L);
    }

    @Test
    void aMeetingsCaptionsAndAVideosSubtitleTrackAreFoundWithTheSecondsTheyAreSaid() throws Exception {
        String meetings = TestSupport.createCollection("meetings");
        // A Teams transcript: two people taking turns every 8 s for a minute and a half.
        StringBuilder vtt = new StringBuilder("WEBVTT\n\n");
        for (int i = 0; i < 12; i++) {
            String speaker = i % 2 == 0 ? "Ada Lovelace" : "Charles Babbage";
            String said = i == 7
                    ? "The quarterly review moves to Friday because the auditors need another week."
                    : i == 11 ? monologue() : "Point " + i + " of the agenda is noted and we move on.";
            vtt.append("id-").append(i).append('\n');
            int from = i * 8;
            int to = from + 6;
            vtt.append(
                    String.format("00:%02d:%02d.000 --> 00:%02d:%02d.500%n", from / 60, from % 60, to / 60, to % 60));
            vtt.append("<v ").append(speaker).append('>').append(said).append("</v>\n\n");
        }
        Path meeting = Files.writeString(tmp.resolve("meeting.vtt"), vtt);
        // A video whose subtitle track says what its sound (a tone) does not.
        Path srt = Files.writeString(
                tmp.resolve("film.srt"),
                "1\n00:00:01,000 --> 00:00:03,000\nThe hull was cracked\n\n"
                        + "2\n00:00:04,000 --> 00:00:06,000\nbelow the waterline.\n");
        Path video = tmp.resolve("inspection.mp4");
        ffmpeg(
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:duration=7",
                "-f",
                "lavfi",
                "-i",
                "color=c=black:s=64x64:d=7",
                "-i",
                srt.toString(),
                "-map",
                "0:a",
                "-map",
                "1:v",
                "-map",
                "2:s",
                "-c:a",
                "aac",
                "-c:v",
                "mpeg4",
                "-c:s",
                "mov_text",
                "-shortest",
                video.toString());
        JsonPath meetingJob = TestSupport.ingest(meetings, meeting);
        assertThat(meetingJob.getString("status"))
                .as(meetingJob.getString("error"))
                .isEqualTo("succeeded");
        assertThat(meetingJob.getString("message")).contains("read 12 captions of 2 speakers");
        JsonPath videoJob = TestSupport.ingest(meetings, video);
        assertThat(videoJob.getString("status")).as(videoJob.getString("error")).isEqualTo("succeeded");
        assertThat(videoJob.getString("message")).contains("read its subtitle track (2 captions)");

        JsonPath review = search(meetings, "when is the review and why do the auditors need time", "hybrid");
        assertThat(review.getString("results[0].filename")).isEqualTo("meeting.vtt");
        assertThat(review.getString("results[0].text"))
                .contains("Charles Babbage: The quarterly review moves to Friday");
        // Said from 56 s to 62.5 s: the cited window holds those seconds.
        assertThat(review.getLong("results[0].locator.startMs")).isBetween(26_000L, 56_000L);
        assertThat(review.getLong("results[0].locator.endMs")).isGreaterThanOrEqualTo(62_500L);

        // One cue of a thousand words (a long turn in one caption) is cut into chunks of the usual size, each with
        // the cue's seconds.
        JsonPath crane = search(meetings, "harbour crane contract", "keyword");
        assertThat(crane.getString("results[0].filename")).isEqualTo("meeting.vtt");
        assertThat(crane.getString("results[0].text"))
                .contains("harbour crane contract")
                .hasSizeLessThan(3_000);
        assertThat(crane.getLong("results[0].locator.startMs")).isEqualTo(88_000L);
        assertThat(crane.getLong("results[0].locator.endMs")).isEqualTo(94_500L);

        JsonPath hull = search(meetings, "hull cracked below the waterline", "keyword");
        assertThat(hull.getString("results[0].filename")).isEqualTo("inspection.mp4");
        assertThat(hull.getString("results[0].text")).isEqualTo("The hull was cracked below the waterline.");
        assertThat(hull.getLong("results[0].locator.startMs")).isEqualTo(1_000L);
        assertThat(hull.getLong("results[0].locator.endMs")).isEqualTo(6_000L);
    }

    /** A long turn: a hundred agenda items, the last of them a crane contract. */
    private static String monologue() {
        StringBuilder out = new StringBuilder();
        for (int n = 1; n <= 100; n++) {
            out.append("Item ").append(n).append(" of the budget was read out and approved without changes. ");
        }
        return out.append("The last item is the harbour crane contract.").toString();
    }

    /** A PNG whose IHDR claims the given size; no pixel data follows. */
    static byte[] pngClaiming(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        byte[] ihdr = ByteBuffer.allocate(13)
                .putInt(width)
                .putInt(height)
                .put((byte) 8)
                .put((byte) 2)
                .put((byte) 0)
                .put((byte) 0)
                .put((byte) 0)
                .array();
        for (Object[] chunk : new Object[][] {{"IHDR", ihdr}, {"IEND", new byte[0]}}) {
            byte[] type = ((String) chunk[0]).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] data = (byte[]) chunk[1];
            out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
            out.writeBytes(type);
            out.writeBytes(data);
            CRC32 crc = new CRC32();
            crc.update(type);
            crc.update(data);
            out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        }
        return out.toByteArray();
    }

    @Test
    void badMediaFailsWithReadableReasonsAndTheServerStaysHealthy() throws IOException {
        String bad = TestSupport.createCollection("bad-media");
        byte[] jfk = Files.readAllBytes(TestSupport.shared("media/audio/jfk.wav"));
        Path truncatedWav = Files.write(tmp.resolve("truncated.wav"), Arrays.copyOf(jfk, jfk.length / 2));
        Path bomb = Files.write(tmp.resolve("huge.png"), pngClaiming(50_000, 50_000));
        byte[] tiff = new byte[2048];
        new java.util.Random(11).nextBytes(tiff);
        System.arraycopy(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0}, 0, tiff, 0, 8);
        Path corruptTiff = Files.write(tmp.resolve("corrupt.tif"), tiff);
        Map<Path, String> expected = Map.of(truncatedWav, "truncated", bomb, "50000×50000", corruptTiff, "cannot");
        for (Map.Entry<Path, String> e : expected.entrySet()) {
            JsonPath job = TestSupport.ingest(bad, e.getKey());
            System.out.printf(
                    "%s -> %s: %s%n", e.getKey().getFileName(), job.getString("status"), job.getString("error"));
            assertThat(job.getString("status"))
                    .as(e.getKey().getFileName().toString())
                    .isEqualTo("failed");
            assertThat(job.getString("error"))
                    .as(e.getKey().getFileName().toString())
                    .contains(e.getValue())
                    .doesNotContain("Exception");
        }
        // A 0-byte PNG is accepted like any upload and its job fails with the reason.
        Path empty = Files.write(tmp.resolve("empty.png"), new byte[0]);
        JsonPath emptyJob = TestSupport.ingest(bad, empty);
        assertThat(emptyJob.getString("status")).isEqualTo("failed");
        assertThat(emptyJob.getString("error")).isEqualTo("the file is empty (0 bytes)");
        JsonPath emptyDoc = given().get("/v1/documents/" + emptyJob.getString("documentId"))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(emptyDoc.getString("status")).isEqualTo("failed");
        assertThat(emptyDoc.getString("mediaType")).isEqualTo("image/png");
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
    }
}
