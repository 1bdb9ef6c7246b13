package dev.omnirag.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnirag.server.eval.ParsingDevSet;
import dev.omnirag.server.pages.QuoteBoxes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PdfColumnsTest {

    private final DocumentParser parser = new DocumentParser(false);

    @Test
    void aPageDrawnLineByLineAcrossTwoColumnsIsReadColumnByColumn(@TempDir Path tmp) throws IOException {
        Path pdf = twoColumns(tmp.resolve("interleaved.pdf"), true);

        String text = parser.parse(pdf, "application/pdf", "interleaved.pdf")
                .pages()
                .getFirst()
                .text();

        String flat = text.replaceAll("\\s+", " ");
        assertThat(flat)
                .contains("Glaciers in the northern valley retreated by forty metres during the last decade,")
                .contains("whose levels rose steadily until the dam was rebuilt in spring.")
                .contains("The observatory on the ridge opened in autumn after eleven years of planning");
        assertThat(flat.indexOf("nine centuries."))
                .as("the left column ends before the right one starts")
                .isLessThan(flat.indexOf("The observatory"));
    }

    @Test
    void aPageDrawnColumnByColumnKeepsItsOrder(@TempDir Path tmp) throws IOException {
        Path pdf = twoColumns(tmp.resolve("columns.pdf"), false);

        String flat = parser.parse(pdf, "application/pdf", "columns.pdf")
                .pages()
                .getFirst()
                .text()
                .replaceAll("\\s+", " ");

        assertThat(flat)
                .contains("Glaciers in the northern valley retreated by forty metres")
                .contains("The observatory on the ridge opened in autumn after eleven years");
        assertThat(flat.indexOf("nine centuries.")).isLessThan(flat.indexOf("The observatory"));
    }

    @Test
    void aTwoColumnTableOfShortCellsIsNotTakenForColumns(@TempDir Path tmp) throws IOException {
        Path pdf = tmp.resolve("table.pdf");
        String[][] rows = new String[12][];
        for (int i = 1; i <= rows.length; i++) {
            rows[i - 1] = new String[] {"Station " + i, "Rain " + (10 + i) + " mm"};
        }
        ParsingDevSet.alignedTable(pdf, List.of(), new float[] {60, 320}, rows, List.of());

        String flat = parser.parse(pdf, "application/pdf", "table.pdf")
                .pages()
                .getFirst()
                .text()
                .replaceAll("\\s+", " ");

        // Rows stay rows (and become a table's), not a column of names followed by a column of figures.
        assertThat(flat).contains("Station 1 | Rain 11 mm Station 2 | Rain 12 mm");
    }

    @Test
    void aQuoteAcrossTwoLinesOfTheLeftColumnIsHighlightedThereOnBothLines(@TempDir Path tmp) throws IOException {
        Path pdf = twoColumns(tmp.resolve("interleaved.pdf"), true);

        List<QuoteBoxes.Box> boxes = QuoteBoxes.find(
                pdf,
                1,
                "The meltwater feeds three lakes whose levels rose steadily until the dam was rebuilt in spring.");

        assertThat(boxes).hasSize(2);
        assertThat(boxes)
                .allSatisfy(b ->
                        assertThat(b.x() + b.w()).as("inside the left column").isLessThan(0.5));
        assertThat(boxes.get(1).y()).isGreaterThan(boxes.get(0).y());
    }

    @Test
    void aFormFieldFilledOnAPageReadColumnByColumnIsKept(@TempDir Path tmp) throws IOException {
        Path pdf = twoColumns(tmp.resolve("signed-newsletter.pdf"), true);
        try (var doc = org.apache.pdfbox.Loader.loadPDF(pdf.toFile())) {
            var form = new org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm(doc);
            doc.getDocumentCatalog().setAcroForm(form);
            form.getFields().add(DocumentParserTest.textField(form, "editor", "Approved by", "Grace Hopper"));
            doc.save(pdf.toFile());
        }

        String text = parser.parse(pdf, "application/pdf", "signed-newsletter.pdf")
                .pages()
                .getFirst()
                .text();

        String flat = text.replaceAll("\\s+", " ");
        assertThat(flat.indexOf("nine centuries."))
                .as("the left column ends before the right one starts")
                .isLessThan(flat.indexOf("The observatory"));
        assertThat(text).endsWith("Approved by: Grace Hopper\n");
    }

    private static Path twoColumns(Path file, boolean interleaved) throws IOException {
        ParsingDevSet.newsletter(file, interleaved);
        return file;
    }
}
