package dev.omnirag.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnirag.server.pages.QuoteBoxes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PdfColumnsTest {

    /** A column of prose, one string per printed line; its sentences run across line ends. */
    private static final List<String> LEFT = List.of(
            "Glaciers in the northern valley retreated by",
            "forty metres during the last decade, which the",
            "survey team measured with repeated drone flights.",
            "The meltwater feeds three lakes whose levels rose",
            "steadily until the dam was rebuilt in spring.",
            "Local farmers now draw irrigation water from the",
            "upper lake, and the council monitors its quality",
            "every month with samples sent to the laboratory.",
            "Ice cores from the summit record volcanic ash",
            "layers that date the oldest ice to nine centuries.");
    private static final List<String> RIGHT = List.of(
            "The observatory on the ridge opened in autumn",
            "after eleven years of planning and two failed",
            "attempts to secure funding from the ministry.",
            "Its main telescope tracks comets and asteroids",
            "that cross the orbit of the earth each year.",
            "Visitors may book guided night tours through",
            "the tourist office in the village below, where",
            "the exhibition explains how mirrors are ground.",
            "A solar array on the roof powers the instruments",
            "and heats the dormitory used by the astronomers.");

    private final DocumentParser parser = new DocumentParser(false);

    @Test
    void aPageDrawnLineByLineAcrossTwoColumnsIsReadColumnByColumn(@TempDir Path tmp) throws IOException {
        Path pdf = twoColumns(tmp.resolve("interleaved.pdf"), true);

        String text = parser.parse(pdf, "application/pdf", "interleaved.pdf").pages().getFirst().text();

        String flat = text.replaceAll("\\s+", " ");
        assertThat(flat).contains("Glaciers in the northern valley retreated by forty metres during the last decade,")
                .contains("whose levels rose steadily until the dam was rebuilt in spring.")
                .contains("The observatory on the ridge opened in autumn after eleven years of planning");
        assertThat(flat.indexOf("nine centuries.")).as("the left column ends before the right one starts")
                .isLessThan(flat.indexOf("The observatory"));
    }

    @Test
    void aPageDrawnColumnByColumnKeepsItsOrder(@TempDir Path tmp) throws IOException {
        Path pdf = twoColumns(tmp.resolve("columns.pdf"), false);

        String flat = parser.parse(pdf, "application/pdf", "columns.pdf").pages().getFirst().text()
                .replaceAll("\\s+", " ");

        assertThat(flat).contains("Glaciers in the northern valley retreated by forty metres")
                .contains("The observatory on the ridge opened in autumn after eleven years");
        assertThat(flat.indexOf("nine centuries.")).isLessThan(flat.indexOf("The observatory"));
    }

    @Test
    void aTwoColumnTableOfShortCellsIsNotTakenForColumns(@TempDir Path tmp) throws IOException {
        Path pdf = tmp.resolve("table.pdf");
        List<String[]> rows = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            rows.add(new String[] {"Station " + i, "Rain " + (10 + i) + " mm"});
        }
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            try (PDPageContentStream out = new PDPageContentStream(doc, page)) {
                for (int i = 0; i < rows.size(); i++) {
                    for (int c = 0; c < 2; c++) {
                        out.beginText();
                        out.setFont(font, 10);
                        out.newLineAtOffset(c == 0 ? 60 : 320, 760 - 16 * i);
                        out.showText(rows.get(i)[c]);
                        out.endText();
                    }
                }
            }
            doc.save(pdf.toFile());
        }

        String flat = parser.parse(pdf, "application/pdf", "table.pdf").pages().getFirst().text().replaceAll("\\s+", " ");

        // Rows stay rows (and become a table's), not a column of names followed by a column of figures.
        assertThat(flat).contains("Station 1 | Rain 11 mm Station 2 | Rain 12 mm");
    }

    @Test
    void aQuoteAcrossTwoLinesOfTheLeftColumnIsHighlightedThereOnBothLines(@TempDir Path tmp) throws IOException {
        Path pdf = twoColumns(tmp.resolve("interleaved.pdf"), true);

        List<QuoteBoxes.Box> boxes = QuoteBoxes.find(pdf, 1,
                "The meltwater feeds three lakes whose levels rose steadily until the dam was rebuilt in spring.");

        assertThat(boxes).hasSize(2);
        assertThat(boxes).allSatisfy(b -> assertThat(b.x() + b.w()).as("inside the left column").isLessThan(0.5));
        assertThat(boxes.get(1).y()).isGreaterThan(boxes.get(0).y());
    }

    /**
     * A page of two columns of prose; {@code interleaved}: drawn as many producers do for forms and newsletters, a
     * row at a time across both columns, else one column after the other.
     */
    private static Path twoColumns(Path file, boolean interleaved) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            try (PDPageContentStream out = new PDPageContentStream(doc, page)) {
                if (interleaved) {
                    for (int i = 0; i < LEFT.size(); i++) {
                        line(out, font, 50, i, LEFT.get(i));
                        line(out, font, 320, i, RIGHT.get(i));
                    }
                } else {
                    for (int i = 0; i < LEFT.size(); i++) {
                        line(out, font, 50, i, LEFT.get(i));
                    }
                    for (int i = 0; i < RIGHT.size(); i++) {
                        line(out, font, 320, i, RIGHT.get(i));
                    }
                }
            }
            doc.save(file.toFile());
        }
        return file;
    }

    private static void line(PDPageContentStream out, PDType1Font font, float x, int row, String text) throws IOException {
        out.beginText();
        out.setFont(font, 10);
        out.newLineAtOffset(x, 780 - 14 * row);
        out.showText(text);
        out.endText();
    }
}
