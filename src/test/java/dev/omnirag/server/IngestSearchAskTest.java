package dev.omnirag.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The walking skeleton end to end: upload a real PDF, search it in every mode, ask it a question. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestSearchAskTest {

    private static final String QUESTION = "What speedup does TraceMonkey give for traceable programs?";
    private String collection;
    private String documentId;

    /** Ingests once per class, lazily: RestAssured knows the random test port only once a test runs. */
    @BeforeEach
    void ingestTraceMonkey() {
        if (collection != null) {
            return;
        }
        collection = TestSupport.createCollection("papers");
        JsonPath upload = TestSupport.upload(collection, TestSupport.shared("media/pdf/tracemonkey.pdf"), 202);
        documentId = upload.getString("documentId");
        JsonPath job = TestSupport.awaitJob(upload.getString("jobId"));
        assertThat(job.getString("status"))
                .as("job error: %s", job.getString("error"))
                .isEqualTo("succeeded");
        assertThat(job.getDouble("progress")).isEqualTo(1.0);
    }

    @Test
    void aSearchProfileNamesItsOptionsAndRequestOptionsStillWin() {
        String url = "/v1/collections/" + collection + "/search";
        given().contentType(ContentType.JSON)
                .body(Map.of("query", "trace trees"))
                .post(url)
                .then()
                .statusCode(200)
                .body("profile", equalTo("fast"))
                .body("fusion", equalTo("weighted"))
                .body("feedback", equalTo(false));
        given().contentType(ContentType.JSON)
                .body(Map.of("query", "trace trees", "profile", "quality"))
                .post(url)
                .then()
                .statusCode(200)
                .body("profile", equalTo("quality"))
                .body("fusion", equalTo("weighted"))
                .body("feedback", equalTo(true))
                .body("results.size()", greaterThan(0));
        given().contentType(ContentType.JSON)
                .body(Map.of("query", "trace trees", "profile", "quality", "feedback", false, "fusion", "rrf"))
                .post(url)
                .then()
                .statusCode(200)
                .body("feedback", equalTo(false))
                .body("fusion", equalTo("rrf"));
        given().contentType(ContentType.JSON)
                .body(Map.of("query", "trace trees", "profile", "best"))
                .post(url)
                .then()
                .statusCode(400)
                .body("detail", containsString("profile must be one of [fast, quality]"));
        given().contentType(ContentType.JSON)
                .body(Map.of("question", "What speedup does TraceMonkey give?", "profile", "quality"))
                .post("/v1/collections/" + collection + "/ask")
                .then()
                .statusCode(200)
                .body("citations.size()", greaterThan(0));
    }

    @Test
    void ingestedPdfHasPagesAndChunks() {
        given().get("/v1/documents/" + documentId)
                .then()
                .statusCode(200)
                .body("status", equalTo("ready"))
                .body("mediaType", equalTo("application/pdf"))
                .body("filename", equalTo("tracemonkey.pdf"))
                .body("pageCount", equalTo(14))
                .body("chunkCount", greaterThan(20));
        given().get("/v1/collections/" + collection + "/documents")
                .then()
                .statusCode(200)
                .body("documents", hasSize(1))
                .body("documents[0].id", equalTo(documentId));
    }

    @Test
    void searchReturnsChunksWithPageLocatorsInEveryMode() {
        for (String mode : List.of("keyword", "vector", "hybrid")) {
            given().contentType(ContentType.JSON)
                    .body(Map.of("query", "nested trace trees", "mode", mode, "k", 5))
                    .post("/v1/collections/" + collection + "/search")
                    .then()
                    .statusCode(200)
                    .body("mode", equalTo(mode))
                    .body("results", hasSize(5))
                    .body("results.locator.page", everyItem(notNullValue()))
                    .body("results.documentId", everyItem(equalTo(documentId)))
                    .body("results.filename", everyItem(equalTo("tracemonkey.pdf")))
                    .body("results[0].text", containsString("nested"));
        }
    }

    @Test
    void searchResultTextIsTheLocatedCharactersOfItsPage() {
        JsonPath r = given().contentType(ContentType.JSON)
                .body(Map.of("query", "nested trace trees", "k", 3))
                .post("/v1/collections/" + collection + "/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        int start = r.getInt("results[0].locator.charStart");
        int end = r.getInt("results[0].locator.charEnd");
        assertThat(end - start).isEqualTo(r.getString("results[0].text").length());
        assertThat(r.getDouble("results[0].score")).isGreaterThanOrEqualTo(r.getDouble("results[1].score"));
    }

    @Test
    void filtersRestrictResults() {
        given().contentType(ContentType.JSON)
                .body(Map.of("query", "trace", "filter", Map.of("documentId", "00000000-0000-4000-8000-000000000000")))
                .post("/v1/collections/" + collection + "/search")
                .then()
                .statusCode(200)
                .body("results", hasSize(0));
        given().contentType(ContentType.JSON)
                .body(Map.of("query", "trace", "k", 3, "filter", Map.of("mediaType", "application/pdf")))
                .post("/v1/collections/" + collection + "/search")
                .then()
                .statusCode(200)
                .body("results", hasSize(3));
    }

    @Test
    void askAnswersWithACitationThatQuotesTheSpeedup() {
        JsonPath answer = given().contentType(ContentType.JSON)
                .body(Map.of("question", QUESTION))
                .post("/v1/collections/" + collection + "/ask")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(answer.getString("answer")).contains("[1]");
        List<Map<String, Object>> citations = answer.getList("citations");
        assertThat(citations).isNotEmpty();
        Map<String, Object> speedup = citations.stream()
                .filter(c -> ((String) c.get("quote")).contains("2x-20x"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no citation quotes 2x-20x: " + citations));
        @SuppressWarnings("unchecked")
        Map<String, Object> locator = (Map<String, Object>) speedup.get("locator");
        // In the PDF the figure "2x-20x speedup for traceable programs" is printed on page 2 (page 1 says "10x").
        assertThat(locator.get("page")).isEqualTo(2);
        assertThat(speedup.get("documentId")).isEqualTo(documentId);
        assertThat(speedup.get("filename")).isEqualTo("tracemonkey.pdf");
        assertThat(((Integer) locator.get("charEnd")) - ((Integer) locator.get("charStart")))
                .isEqualTo(((String) speedup.get("quote")).length());
        assertThat(answer.getString("answer")).contains("[" + speedup.get("n") + "]");
    }

    @Test
    void aStrongAnswerSaysSoAndAWeakOneSaysItFoundNoAnswerAndShowsTheClosestPassages() {
        JsonPath strong = given().contentType(ContentType.JSON)
                .body(Map.of("question", QUESTION))
                .post("/v1/collections/" + collection + "/ask")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(strong.getString("citations[0].support")).isEqualTo("strong");
        assertThat(strong.getBoolean("citations[0].verbatim")).isTrue();
        assertThat(strong.getDouble("citations[0].supportScore")).isEqualTo(1.0);

        // The paper says nothing about phones; its passages about platforms bear on the question only weakly.
        JsonPath weak = given().contentType(ContentType.JSON)
                .body(Map.of(
                        "question", "Does TraceMonkey make JavaScript faster on mobile phones and their batteries?"))
                .post("/v1/collections/" + collection + "/ask")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        String answer = weak.getString("answer");
        assertThat(answer).startsWith("I could not find an answer to that in the documents.");
        List<String> support = weak.getList("citations.support", String.class);
        assertThat(support).allMatch("weak"::equals);
    }

    @Test
    void aKeywordQuestionGetsThePassageThatContainsIt() {
        JsonPath answer = given().contentType(ContentType.JSON)
                .body(Map.of("question", "SquirrelFish"))
                .post("/v1/collections/" + collection + "/ask")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(answer.getString("answer")).doesNotStartWith("I could not find");
        assertThat(answer.getString("citations[0].quote")).containsIgnoringCase("SquirrelFish");
        assertThat(answer.getString("citations[0].support")).isEqualTo("strong");
    }

    @Test
    void askStreamsDeltaCitationAndDoneEvents() {
        String body = given().contentType(ContentType.JSON)
                .accept("text/event-stream")
                .body(Map.of("question", QUESTION))
                .post("/v1/collections/" + collection + "/ask")
                .then()
                .statusCode(200)
                .contentType(containsString("text/event-stream"))
                .extract()
                .asString();
        int citation = body.indexOf("event:citation");
        int delta = body.indexOf("event:delta");
        int done = body.indexOf("event:done");
        assertThat(citation).as(body).isGreaterThanOrEqualTo(0);
        assertThat(delta).isGreaterThanOrEqualTo(0);
        assertThat(done).isGreaterThan(Math.max(citation, delta));
        assertThat(body).contains("2x-20x");
    }

    @Test
    void sameBytesAreADuplicateNotReEmbedded() {
        JsonPath again = TestSupport.upload(collection, TestSupport.shared("media/pdf/tracemonkey.pdf"), 200);
        assertThat(again.getBoolean("duplicate")).isTrue();
        assertThat(again.getString("documentId")).isEqualTo(documentId);
        given().get("/v1/collections/" + collection + "/documents").then().body("documents", hasSize(1));
    }

    @Test
    void contentReturnsTheOriginalBytes() throws IOException {
        byte[] original = Files.readAllBytes(TestSupport.shared("media/pdf/tracemonkey.pdf"));
        byte[] served = given().get("/v1/documents/" + documentId + "/content")
                .then()
                .statusCode(200)
                .contentType("application/pdf")
                .extract()
                .asByteArray();
        assertThat(served).isEqualTo(original);
    }

    @Test
    void badSearchRequestsAreProblem400() {
        String url = "/v1/collections/" + collection + "/search";
        given().contentType(ContentType.JSON)
                .body(Map.of("query", "x", "k", 0))
                .post(url)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("k must be in 1..100; k=0"));
        given().contentType(ContentType.JSON)
                .body(Map.of("query", "x", "k", 101))
                .post(url)
                .then()
                .statusCode(400);
        given().contentType(ContentType.JSON)
                .body(Map.of("query", "x", "mode", "fuzzy"))
                .post(url)
                .then()
                .statusCode(400)
                .body("detail", containsString("mode must be one of"));
        given().contentType(ContentType.JSON)
                .body(Map.of("query", " "))
                .post(url)
                .then()
                .statusCode(400)
                .body("detail", equalTo("query must not be blank"));
        given().contentType(ContentType.JSON)
                .body("{\"query\": ")
                .post(url)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body(Map.of("query", "x"))
                .post("/v1/collections/00000000-0000-4000-8000-000000000000/search")
                .then()
                .statusCode(404);
    }

    @Test
    void uploadErrorsAreProblems(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        String url = "/v1/collections/" + collection + "/documents";
        Path empty = Files.createFile(tmp.resolve("empty.txt"));
        // An empty file is not a problem of the request: it is queued and its job fails with the reason.
        JsonPath emptyJob = TestSupport.ingest(collection, empty);
        assertThat(emptyJob.getString("status")).isEqualTo("failed");
        assertThat(emptyJob.getString("error")).isEqualTo("the file is empty (0 bytes)");
        Path binary = tmp.resolve("data.bin");
        byte[] bytes = new byte[4096];
        new java.util.Random(1).nextBytes(bytes);
        Files.write(binary, bytes);
        given().multiPart("file", binary.toFile())
                .post(url)
                .then()
                .statusCode(415)
                .contentType("application/problem+json")
                .body("detail", containsString("unsupported media type"));
        Path big = tmp.resolve("big.txt");
        Files.write(big, new byte[3 * 1024 * 1024]);
        given().multiPart("file", big.toFile())
                .post(url)
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("max-upload-size"));
        Path text = Files.writeString(tmp.resolve("note.txt"), "A short note about wings.");
        given().multiPart("file", text.toFile())
                .multiPart("metadata", "[1,2]")
                .post(url)
                .then()
                .statusCode(400)
                .body("detail", containsString("metadata must be a JSON object"));
        given().multiPart("file", text.toFile())
                .post("/v1/collections/00000000-0000-4000-8000-000000000000/documents")
                .then()
                .statusCode(404);
    }

    @Test
    void wordSpreadsheetAndPdfTableRowsAreFoundAndQuotedWithTheirHeaders(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws IOException {
        String tables = TestSupport.createCollection("tables");
        Path docx = tmp.resolve("engines.docx");
        try (var doc = new org.apache.poi.xwpf.usermodel.XWPFDocument();
                var out = Files.newOutputStream(docx)) {
            doc.createParagraph()
                    .createRun()
                    .setText("The benchmark compared three JavaScript engines on one machine.");
            String[][] rows = {
                {"Engine", "Throughput", "Latency"},
                {"V8", "10.2 GB/s", "3 ms"},
                {"SpiderMonkey", "12.4 GB/s", "4 ms"},
                {"JavaScriptCore", "9.8 GB/s", "5 ms"}
            };
            var table = doc.createTable(rows.length, 3);
            for (int r = 0; r < rows.length; r++) {
                for (int c = 0; c < 3; c++) {
                    table.getRow(r).getCell(c).setText(rows[r][c]);
                }
            }
            doc.write(out);
        }
        Path xlsx = tmp.resolve("sales.xlsx");
        try (var book = new org.apache.poi.xssf.usermodel.XSSFWorkbook();
                var out = Files.newOutputStream(xlsx)) {
            book.createSheet("Notes").createRow(0).createCell(0).setCellValue("Figures are in millions of euros.");
            var sheet = book.createSheet("Regions");
            String[][] rows = {
                {"Region", "Revenue", "Growth"}, {"Northern Europe", "12.5", "3%"}, {"Southern Europe", "9.1", "2%"}
            };
            for (int r = 0; r < rows.length; r++) {
                var row = sheet.createRow(r);
                for (int c = 0; c < 3; c++) {
                    row.createCell(c).setCellValue(rows[r][c]);
                }
            }
            book.write(out);
        }
        TestSupport.ingest(tables, docx);
        TestSupport.ingest(tables, xlsx);

        JsonPath found = given().contentType(ContentType.JSON)
                .body(Map.of("query", "SpiderMonkey throughput"))
                .post("/v1/collections/" + tables + "/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(found.getString("results[0].filename")).isEqualTo("engines.docx");
        assertThat(found.getString("results[0].text"))
                .contains("Engine | Throughput | Latency\n")
                .contains("SpiderMonkey | 12.4 GB/s | 4 ms");

        JsonPath engine = given().contentType(ContentType.JSON)
                .body(Map.of("question", "What throughput did SpiderMonkey reach?"))
                .post("/v1/collections/" + tables + "/ask")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(engine.getString("answer")).startsWith("Engine: SpiderMonkey; Throughput: 12.4 GB/s; Latency: 4 ms");
        assertThat(engine.getString("citations[0].quote")).isEqualTo("SpiderMonkey | 12.4 GB/s | 4 ms");

        Path fleet = tmp.resolve("fleet-report.pdf");
        dev.omnirag.server.eval.ParsingDevSet.pdfTable(fleet);
        TestSupport.ingest(tables, fleet);
        JsonPath depot = given().contentType(ContentType.JSON)
                .body(Map.of("question", "How many kilometres did the Lisbon depot's vans drive?"))
                .post("/v1/collections/" + tables + "/ask")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(depot.getString("answer"))
                .startsWith("Depot: Lisbon; Vans: 12; Kilometres: 4,120; Fuel per 100 km: 9.8 l");
        assertThat(depot.getString("citations[0].quote")).isEqualTo("Lisbon | 12 | 4,120 | 9.8 l");
        assertThat(depot.getInt("citations[0].locator.page")).isEqualTo(1);
        // The rows' box: x from 60 pt of 595, y 720..656 pt of 842 from the bottom.
        assertThat(depot.getDouble("citations[0].locator.bbox.x")).isBetween(0.09, 0.11);
        assertThat(depot.getDouble("citations[0].locator.bbox.y")).isBetween((842 - 735) / 842.0, (842 - 715) / 842.0);

        JsonPath region = given().contentType(ContentType.JSON)
                .body(Map.of("question", "What revenue did Northern Europe make?"))
                .post("/v1/collections/" + tables + "/ask")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(region.getString("answer")).startsWith("Region: Northern Europe; Revenue: 12.5; Growth: 3%");
        assertThat(region.getString("citations[0].quote")).isEqualTo("Northern Europe | 12.5 | 3%");
        assertThat(region.getString("citations[0].filename")).isEqualTo("sales.xlsx");
        // The second sheet is the document's second page, and the locator names it.
        assertThat(region.getInt("citations[0].locator.page")).isEqualTo(2);
        assertThat(region.getString("citations[0].locator.sheet")).isEqualTo("Regions");
        JsonPath notes = given().contentType(ContentType.JSON)
                .body(Map.of("query", "millions of euros"))
                .post("/v1/collections/" + tables + "/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(notes.getString("results[0].locator.sheet")).isEqualTo("Notes");
        // Other documents' locators have no sheet.
        assertThat(depot.getString("citations[0].locator.sheet")).isNull();
    }

    @Test
    void aBooksPassageIsCitedByItsSectionAndItsTableOfContentsIsNoSearchResult(
            @org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        String books = TestSupport.createCollection("books");
        String contents = "<nav><h1>Contents</h1><ol><li>The Storm at the Lighthouse</li>"
                + "<li>The Rescue of the Fishing Boat</li></ol></nav>";
        Path book = TestBooks.epub(
                tmp.resolve("keeper.epub"),
                "<dc:title>The Lighthouse Keeper</dc:title>",
                """
                <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
                <item id="c1" href="ch1.xhtml" media-type="application/xhtml+xml"/>
                <item id="c2" href="ch2.xhtml" media-type="application/xhtml+xml"/>""",
                "<itemref idref=\"nav\" linear=\"no\"/><itemref idref=\"c1\"/><itemref idref=\"c2\"/>",
                Map.of(
                        "OEBPS/nav.xhtml",
                        TestBooks.xhtml("Contents", contents),
                        "OEBPS/ch1.xhtml",
                        TestBooks.xhtml(
                                "The Storm at the Lighthouse",
                                "<h1>The Storm at the Lighthouse</h1><p>The wind rose at dusk and the keeper climbed"
                                        + " the ninety-seven steps to light the lamp.</p>"),
                        "OEBPS/ch2.xhtml",
                        TestBooks.xhtml(
                                "The Rescue of the Fishing Boat",
                                "<h1>The Rescue of the Fishing Boat</h1><p>At dawn the keeper rowed out to the wrecked"
                                        + " fishing boat and brought three sailors back before the tide turned.</p>")));
        TestSupport.ingest(books, book);

        JsonPath found = given().contentType(ContentType.JSON)
                .body(Map.of("query", "rescue of the fishing boat", "k", 5))
                .post("/v1/collections/" + books + "/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        // The chapter, not the list of chapter titles; and only that chapter's words.
        assertThat(found.getList("results.text", String.class)).noneMatch(t -> t.contains("Contents"));
        assertThat(found.getString("results[0].text"))
                .contains("brought three sailors back")
                .doesNotContain("ninety-seven steps");
        assertThat(found.getInt("results[0].locator.page")).isEqualTo(2);

        JsonPath asked = given().contentType(ContentType.JSON)
                .body(Map.of("question", "How many steps did the keeper climb to light the lamp?"))
                .post("/v1/collections/" + books + "/ask")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(asked.getString("citations[0].quote")).contains("ninety-seven steps");
        assertThat(asked.getInt("citations[0].locator.page")).isEqualTo(1);
        assertThat(asked.getString("citations[0].mediaType")).isEqualTo("application/epub+zip");
    }

    @Test
    void aManualsContentsPageIsNoSearchResultAndItsSentencesAndStepsAreQuotedWhole(
            @org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        String manuals = TestSupport.createCollection("manuals");
        Path manual = tmp.resolve("router-manual.pdf");
        dev.omnirag.server.eval.ParsingDevSet.manual(manual);
        TestSupport.ingest(manuals, manual);

        for (String mode : List.of("keyword", "vector", "hybrid")) {
            JsonPath found = given().contentType(ContentType.JSON)
                    .body(Map.of("query", "troubleshooting", "mode", mode, "k", 5))
                    .post("/v1/collections/" + manuals + "/search")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            // Page 2 lists every section's heading over dot leaders; page 9 is the section.
            assertThat(found.getList("results.locator.page", Integer.class))
                    .as(mode)
                    .doesNotContain(2)
                    .first()
                    .isEqualTo(9);
        }

        JsonPath reset = TestSupport.ask(manuals, "How do I reset the router?");
        assertThat(reset.getString("answer"))
                .startsWith("To restore the factory settings, hold the recessed RESET button on the back for ten"
                        + " seconds with a paper clip until the status light flashes amber. [1]");
        assertThat(reset.getInt("citations[0].locator.page")).isEqualTo(7);

        JsonPath steps = TestSupport.ask(manuals, "How do I connect with PPPoE?");
        assertThat(steps.getString("answer"))
                .startsWith("To connect with PPPoE:\n1. Choose PPPoE as the connection type.\n2. Enter the user name"
                        + " and password from your provider's letter.\n3. Click Save;");
        assertThat(steps.getInt("citations[0].locator.page")).isEqualTo(5);
    }

    @Test
    void metadataIsFilterableAndDeletedDocumentsLeaveSearch(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws IOException {
        String other = TestSupport.createCollection("notes");
        Path a = Files.writeString(
                tmp.resolve("wing.md"), "# Wings\n\nSwept wings delay the drag rise at transonic speed.");
        Path b = Files.writeString(
                tmp.resolve("tail.txt"), "The tail fin keeps the aircraft stable in yaw at transonic speed.");
        String jobA = given().multiPart("file", a.toFile())
                .multiPart("metadata", "{\"team\": \"aero\", \"year\": 2024}")
                .post("/v1/collections/" + other + "/documents")
                .then()
                .statusCode(202)
                .extract()
                .path("jobId");
        String docA = TestSupport.awaitJob(jobA).getString("documentId");
        TestSupport.ingest(other, b);
        given().contentType(ContentType.JSON)
                .body(Map.of("query", "transonic speed", "filter", Map.of("metadata", Map.of("team", "aero"))))
                .post("/v1/collections/" + other + "/search")
                .then()
                .statusCode(200)
                .body("results", hasSize(1))
                .body("results[0].filename", equalTo("wing.md"))
                .body("results[0].metadata.year", equalTo("2024"));
        given().delete("/v1/documents/" + docA).then().statusCode(204);
        given().get("/v1/documents/" + docA).then().statusCode(404);
        given().contentType(ContentType.JSON)
                .body(Map.of("query", "transonic speed"))
                .post("/v1/collections/" + other + "/search")
                .then()
                .statusCode(200)
                .body("results", hasSize(1))
                .body("results[0].filename", equalTo("tail.txt"));
    }

    @Test
    void jobEventsStreamProgressThenDone(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        String other = TestSupport.createCollection("events");
        Path text = Files.writeString(
                tmp.resolve("flutter.txt"),
                "Flutter is a dynamic instability of an elastic structure in a fluid flow.");
        String jobId = TestSupport.upload(other, text, 202).getString("jobId");
        String stream = given().accept("text/event-stream")
                .get("/v1/jobs/" + jobId + "/events")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(stream).contains("event:progress");
        assertThat(stream).contains("event:done");
        assertThat(stream.substring(stream.indexOf("event:done"))).contains("\"status\":\"succeeded\"");
        given().accept("text/event-stream")
                .get("/v1/jobs/00000000-0000-4000-8000-000000000000/events")
                .then()
                .statusCode(404);
    }

    @Test
    void aDocumentDeletedWhileIngestingLeavesNoChunksAndEndsItsEventStream(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        String other = TestSupport.createCollection("midway");
        JsonPath upload = TestSupport.upload(other, TestSupport.shared("media/pdf/TAMReview.pdf"), 202);
        String jobId = upload.getString("jobId");
        String docId = upload.getString("documentId");
        org.awaitility.Awaitility.await("embedding began")
                .atMost(java.time.Duration.ofMinutes(3))
                .pollInterval(java.time.Duration.ofMillis(50))
                .until(
                        () -> given().get("/v1/jobs/" + jobId)
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath(),
                        job -> {
                            assertThat(job.getString("status"))
                                    .as("still ingesting when deleted")
                                    .isIn("queued", "running");
                            return job.getDouble("progress") >= 0.1;
                        });
        // The stream is read line by line, so the document is deleted once the stream is open (its first event came).
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<java.util.stream.Stream<String>> response = client.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:"
                                + io.restassured.RestAssured.port + "/v1/jobs/" + jobId + "/events"))
                        .header("Accept", "text/event-stream")
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        java.util.Iterator<String> lines = response.body().iterator();
        StringBuilder received = new StringBuilder(lines.next()).append('\n');
        given().delete("/v1/documents/" + docId).then().statusCode(204);
        java.util.concurrent.CompletableFuture<String> rest = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            lines.forEachRemaining(l -> received.append(l).append('\n'));
            return received.toString();
        });
        String events = rest.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(events).contains("event:error").contains("no longer exists");

        // One worker: the next job runs after the deleted one's worker and committer are done with it.
        Path note =
                Files.writeString(tmp.resolve("note.txt"), "A note about the review of the article and its tables.");
        TestSupport.ingest(other, note);
        List<String> documents = given().contentType(ContentType.JSON)
                .body(Map.of("query", "review article tables", "k", 100, "mode", "keyword"))
                .post("/v1/collections/" + other + "/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("results.documentId");
        assertThat(documents).isNotEmpty().doesNotContain(docId);
    }
}
