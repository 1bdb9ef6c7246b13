package dev.omnirag.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnirag.server.eval.ParsingDevSet;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFTable;
import org.apache.poi.xslf.usermodel.XSLFTableRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tables in office files, HTML and Markdown come out of parsing as rows of cells under their header. */
class TableParsingTest {

    private static final String[][] ENGINES = {
        {"Engine", "Throughput", "Latency"},
        {"V8", "10.2 GB/s", "3 ms"},
        {"SpiderMonkey", "12.4 GB/s", "4 ms"},
        {"JavaScriptCore", "9.8 GB/s", "5 ms"}
    };

    private final DocumentParser parser = new DocumentParser(false);

    private String text(Path file, String name) throws IOException {
        ParsedDocument doc = parser.parse(file, parser.detect(file, name), name);
        // Tika separates paragraphs by blank lines: the tests look at lines.
        return String.join(
                        "\n<page>\n",
                        doc.pages().stream().map(ParsedDocument.Page::text).toList())
                .replaceAll("\n\\s*\n", "\n");
    }

    @Test
    void aWordTableIsRowsOfCellsUnderItsHeader(@TempDir Path tmp) throws IOException {
        Path docx = tmp.resolve("engines.docx");
        try (XWPFDocument doc = new XWPFDocument();
                OutputStream out = Files.newOutputStream(docx)) {
            doc.createParagraph().createRun().setText("The benchmark compared three engines.");
            XWPFTable table = doc.createTable(ENGINES.length, 3);
            for (int r = 0; r < ENGINES.length; r++) {
                for (int c = 0; c < 3; c++) {
                    table.getRow(r).getCell(c).setText(ENGINES[r][c]);
                }
            }
            doc.createParagraph().createRun().setText("All engines ran five times.");
            doc.write(out);
        }

        String text = text(docx, "engines.docx");

        assertThat(text)
                .contains("The benchmark compared three engines.\nEngine | Throughput | Latency\n"
                        + "V8 | 10.2 GB/s | 3 ms\nSpiderMonkey | 12.4 GB/s | 4 ms\nJavaScriptCore | 9.8 GB/s | 5 ms\n"
                        + "All engines ran five times.");
    }

    @Test
    void eachSheetIsAPageWithItsNameAndOneTable(@TempDir Path tmp) throws IOException {
        Path xlsx = tmp.resolve("sales.xlsx");
        try (XSSFWorkbook book = new XSSFWorkbook();
                OutputStream out = Files.newOutputStream(xlsx)) {
            XSSFSheet regions = book.createSheet("Regions");
            String[][] rows = {{"Region", "Revenue", "Growth"}, {"North", "12.5", "3%"}, {"South", "9.1", "2%"}};
            for (int r = 0; r < rows.length; r++) {
                var row = regions.createRow(r);
                for (int c = 0; c < 3; c++) {
                    row.createCell(c).setCellValue(rows[r][c]);
                }
            }
            XSSFSheet staff = book.createSheet("Staff");
            staff.createRow(0).createCell(0).setCellValue("Name");
            staff.getRow(0).createCell(1).setCellValue("Role");
            staff.createRow(1).createCell(0).setCellValue("Lena Ortiz");
            staff.getRow(1).createCell(1).setCellValue("Project lead");
            book.write(out);
        }

        ParsedDocument doc = parser.parse(xlsx, parser.detect(xlsx, "sales.xlsx"), "sales.xlsx");

        assertThat(doc.paged()).isTrue();
        assertThat(doc.pages()).hasSize(2);
        assertThat(doc.pages().get(0).text().strip())
                .startsWith("Regions")
                .contains("Region | Revenue | Growth\nNorth | 12.5 | 3%\n" + "South | 9.1 | 2%");
        assertThat(doc.pages().get(1).text().strip())
                .startsWith("Staff")
                .contains("Name | Role\nLena Ortiz | Project lead");
        assertThat(doc.pages()).extracting(ParsedDocument.Page::sheet).containsExactly("Regions", "Staff");
    }

    @Test
    void aSlideTableIsRowsOfCells(@TempDir Path tmp) throws IOException {
        Path pptx = tmp.resolve("deck.pptx");
        try (XMLSlideShow deck = new XMLSlideShow();
                OutputStream out = Files.newOutputStream(pptx)) {
            XSLFTable table = deck.createSlide().createTable();
            for (String[] cells : ENGINES) {
                XSLFTableRow row = table.addRow();
                for (String cell : cells) {
                    row.addCell().setText(cell);
                }
            }
            deck.write(out);
        }

        assertThat(text(pptx, "deck.pptx")).contains("Engine | Throughput | Latency\nV8 | 10.2 GB/s | 3 ms");
    }

    @Test
    void aPdfTableIsFoundByItsAlignedColumnsAndKeepsItsBox(@TempDir Path tmp) throws IOException {
        Path pdf = tmp.resolve("revenue.pdf");
        String[][] rows = {
            {"Region", "Revenue", "Growth"},
            {"Northern Europe", "12.5", "3%"},
            {"Southern Europe", "9.1", "2%"},
            {"Asia Pacific", "15.8", "9%"}
        };
        ParsingDevSet.alignedTable(
                pdf,
                List.of("Revenue by region for the fiscal year, in millions of euros, as reported."),
                new float[] {72, 240, 340},
                rows,
                List.of("Growth was strongest in Asia Pacific, driven by new customers."));

        ParsedDocument.Page page = parser.parse(pdf, "application/pdf").pages().getFirst();

        assertThat(page.text())
                .contains("Region | Revenue | Growth\nNorthern Europe | 12.5 | 3%\n"
                        + "Southern Europe | 9.1 | 2%\nAsia Pacific | 15.8 | 9%")
                .contains("Revenue by region for the fiscal year")
                .contains("Growth was strongest in Asia Pacific");
        assertThat(page.regions()).hasSize(1);
        ParsedDocument.Region table = page.regions().getFirst();
        assertThat(page.text().substring(table.charStart(), table.charEnd()))
                .startsWith("Region | Revenue")
                .endsWith("9%");
        // Rows drawn from x 72 pt (of 595) and y 720..672 pt (of 842, from the bottom).
        assertThat(table.box().x()).isCloseTo(72 / 595.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(table.box().y()).isBetween((842 - 735) / 842.0, (842 - 715) / 842.0);
        assertThat(table.box().y() + table.box().h()).isBetween((842 - 675) / 842.0, (842 - 665) / 842.0);
    }

    @Test
    void aPdfTableOfWordsOnlyIsFoundToo(@TempDir Path tmp) throws IOException {
        Path pdf = tmp.resolve("fruit.pdf");
        String[][] rows = {
            {"Fruit", "Colour", "Season"},
            {"Apple", "Red or green", "Autumn"},
            {"Lemon", "Yellow", "Winter"},
            {"Cherry", "Dark red", "Early summer"}
        };
        ParsingDevSet.alignedTable(
                pdf,
                List.of("Fruit of the orchard and when they are picked."),
                new float[] {72, 200, 330},
                rows,
                List.of());

        ParsedDocument.Page page = parser.parse(pdf, "application/pdf").pages().getFirst();

        assertThat(page.text())
                .contains("Fruit | Colour | Season\nApple | Red or green | Autumn\nLemon | Yellow | Winter\n"
                        + "Cherry | Dark red | Early summer");
        assertThat(page.regions()).hasSize(1);
    }

    @Test
    void aCellWrappedOntoASecondLineStaysInItsRow(@TempDir Path tmp) throws IOException {
        Path pdf = tmp.resolve("engines.pdf");
        String[][] lines = {
            {"Engine", "Vendor", "Notes"},
            {"V8", "Google", "Compiles hot functions with"},
            {null, null, "an optimising tier"},
            {"SpiderMonkey", "Mozilla", "Traces loops"},
            {"JavaScriptCore", "Apple", "Four tiers"}
        };
        ParsingDevSet.alignedTable(
                pdf,
                List.of("Engines compared in the study."),
                new float[] {72, 200, 300},
                lines,
                List.of("Each engine ran the benchmark five times."));

        ParsedDocument.Page page = parser.parse(pdf, "application/pdf").pages().getFirst();

        assertThat(page.text())
                .contains("Engine | Vendor | Notes\nV8 | Google | Compiles hot functions with an optimising "
                        + "tier\nSpiderMonkey | Mozilla | Traces loops\nJavaScriptCore | Apple | Four tiers")
                .contains("Each engine ran the benchmark five times.");
        assertThat(page.regions()).hasSize(1);
    }

    @Test
    void twoColumnProseCodeWithCommentsAndNumberedListsAreNoTables() throws IOException {
        // tracemonkey.pdf: two columns of prose and code listings with comments beside them (page 3);
        // the tax form: numbered choices "1 Single", "2 Married filing jointly"...
        for (String pdf : List.of("media/pdf/tracemonkey.pdf", "media/pdf/prefilled_f1040.pdf")) {
            ParsedDocument doc = parser.parse(dev.omnirag.server.TestSupport.shared(pdf), "application/pdf");
            assertThat(doc.pages())
                    .as(pdf)
                    .allSatisfy(p -> assertThat(p.regions()).isEmpty());
        }
    }

    @Test
    void htmlAndMarkdownTablesAreRowsOfCells(@TempDir Path tmp) throws IOException {
        Path html = Files.writeString(
                tmp.resolve("t.html"),
                "<html><body><p>Results</p><table><thead><tr><th>Engine</th>"
                        + "<th>Throughput</th></tr></thead><tbody><tr><td><p>V8</p></td><td>10.2 <b>GB/s</b></td></tr>"
                        + "<tr><td>Spider<br>Monkey</td><td>12.4 GB/s</td></tr></tbody></table><p>End.</p></body></html>");
        assertThat(text(html, "t.html"))
                .contains("Results\nEngine | Throughput\nV8 | 10.2 GB/s\nSpider Monkey | 12.4 GB/s\nEnd.");

        Path md = Files.writeString(
                tmp.resolve("t.md"), "# Results\n\n| Engine | Throughput |\n|---|---|\n| V8 | 10.2 GB/s |\n");
        assertThat(text(md, "t.md")).contains("Engine | Throughput\nV8 | 10.2 GB/s");
    }

    @Test
    void aLongTableRepeatsItsHeaderAndChunksKeepIt(@TempDir Path tmp) throws IOException {
        StringBuilder html =
                new StringBuilder("<html><body><table><tr><th>Code</th><th>City</th><th>Population</th></tr>");
        for (int i = 0; i < 300; i++) {
            html.append("<tr><td>C")
                    .append(i)
                    .append("</td><td>City number ")
                    .append(i)
                    .append("</td><td>")
                    .append(1000 + i)
                    .append("</td></tr>");
        }
        Path file = Files.writeString(tmp.resolve("cities.html"), html.append("</table></body></html>"));

        String text = parser.parse(file, "text/html", "cities.html")
                .pages()
                .getFirst()
                .text();
        List<Chunker.Chunk> chunks =
                new Chunker(s -> s.isBlank() ? 0 : s.trim().split("\\s+").length, 120, 20).chunk(1, text);

        assertThat(chunks).hasSizeGreaterThan(10).allSatisfy(c -> {
            assertThat(c.text()).startsWith("Code | City | Population\n");
            assertThat(text.substring(c.charStart(), c.charEnd())).isEqualTo(c.text());
        });
        assertThat(String.join("\n", chunks.stream().map(Chunker.Chunk::text).toList()))
                .contains("C0 | City number 0 | 1000", "C299 | City number 299 | 1299");
    }

    @Test
    void aTableOfAHundredThousandRowsIsChunkedWithinTheChunkLimit(@TempDir Path tmp) throws IOException {
        StringBuilder html = new StringBuilder("<html><body><table><tr><th>Id</th><th>Value</th></tr>");
        for (int i = 0; i < 100_000; i++) {
            html.append("<tr><td>").append(i).append("</td><td>v").append(i).append("</td></tr>");
        }
        Path file = Files.writeString(tmp.resolve("big.html"), html.append("</table></body></html>"));

        String text =
                parser.parse(file, "text/html", "big.html").pages().getFirst().text();
        List<Chunker.Chunk> chunks =
                new Chunker(s -> s.isBlank() ? 0 : s.trim().split("\\s+").length, 300, 50).chunk(1, text);

        assertThat(chunks)
                .allSatisfy(c -> assertThat(c.tokens()).isLessThanOrEqualTo(300))
                .allSatisfy(c -> assertThat(c.text()).startsWith("Id | Value\n"));
        assertThat(chunks.getLast().text()).endsWith("99999 | v99999");
    }
}
