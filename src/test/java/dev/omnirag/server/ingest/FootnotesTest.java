package dev.omnirag.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FootnotesTest {

    private static final List<String> NOTE =
            List.of("2 Instead of aborting the outer recording, we could merely sus-", "pend the recording.");

    private static Set<String> small(List<String> lines, List<String> smallOnes) {
        List<Float> sizes =
                lines.stream().map(l -> smallOnes.contains(l) ? 8f : 10f).toList();
        return Footnotes.smallLines(lines, sizes, Set.of());
    }

    @Test
    void aFootnoteInsideARunningSentenceMovesAfterTheTextAndTheSentenceClosesUp() {
        String text = "The monitor starts recording the inner loop.²\nIf the loops are nested to a depth k, and each\n"
                + NOTE.get(0) + "\n" + NOTE.get(1) + "\n\nloop has two types, the outer loop is recorded twice.\n";
        List<String> lines = List.of(text.split("\n"));

        Footnotes.Split split = Footnotes.split(new ParsedDocument.Page(3, text), small(lines, NOTE));

        assertThat(split.notes()).containsExactly(String.join("\n", NOTE));
        assertThat(split.joined().text())
                .isEqualTo(
                        "The monitor starts recording the inner loop.²\nIf the loops are nested to a depth k, and each\n"
                                + "loop has two types, the outer loop is recorded twice.\n\n" + String.join("\n", NOTE)
                                + "\n");
    }

    @Test
    void aHeadingInTheTextsTypeAndASmallLineAfterAnExponentAreNoFootnotes() {
        String text = "The area was 240 m² and the count 10⁶ per gram.\n\n2 Methods\n\nPlots were sown.\n"
                + "6 samples were taken each month.\n";
        List<String> lines = List.of(text.split("\n"));
        // "2 Methods" is in the text's type; the small "6 samples…" follows only an exponent's ⁶
        Footnotes.Split split = Footnotes.split(
                new ParsedDocument.Page(1, text), small(lines, List.of("6 samples were taken each month.")));

        assertThat(split.notes()).isEmpty();
        assertThat(split.joined().text()).isEqualTo(text);
    }

    @Test
    void aTablesRowsInASmallTypeAreNoFootnotes() {
        String text = "Each plot covered 240 m² of the field, and each was sown with one of the four cover crops in"
                + " the autumn.\n\nPlot Area Yield\n2 North 240 5.1\n3 South 180 4.7\n";
        List<String> lines = List.of(text.split("\n"));
        List<String> table = List.of("Plot Area Yield", "2 North 240 5.1", "3 South 180 4.7");
        List<Float> sizes =
                lines.stream().map(l -> table.contains(l) ? 8f : 10f).toList();

        Footnotes.Split split = Footnotes.split(
                new ParsedDocument.Page(1, text), Footnotes.smallLines(lines, sizes, Set.copyOf(table)));

        assertThat(split.notes()).isEmpty();
        // without the table's rows excluded, the row after "m²" would have been taken for note 2
        assertThat(Footnotes.split(new ParsedDocument.Page(1, text), Footnotes.smallLines(lines, sizes, Set.of()))
                        .notes())
                .isNotEmpty();
    }
}
